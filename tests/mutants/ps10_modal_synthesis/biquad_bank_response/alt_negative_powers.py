# Evaluates each section in negative powers of z, (1 - z e^{-jw})(1 - conj z e^{-jw}) / (...): the same response.
def biquad_bank_response(poles, zeros, gains, omega):
    double = any(x.dtype in (torch.float64, torch.complex128) for x in (poles, zeros, gains, omega))
    cplx = torch.complex128 if double else torch.complex64
    zinv = torch.exp(-1j * omega.to(torch.float64 if double else torch.float32)).to(cplx)[:, None, None]
    p, z = poles.to(cplx), zeros.to(cplx)
    g = gains.to(cplx)
    num = (1 - z * zinv) * (1 - z.conj() * zinv)
    den = (1 - p * zinv) * (1 - p.conj() * zinv)
    return (g * num / den).prod(dim=1).sum(dim=1)
