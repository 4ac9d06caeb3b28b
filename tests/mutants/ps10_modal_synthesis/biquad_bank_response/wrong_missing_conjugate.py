# Forgets the conjugate pole and zero: g (e^{jw} - z) / (e^{jw} - p) is not a real filter.
def biquad_bank_response(poles, zeros, gains, omega):
    double = any(x.dtype in (torch.float64, torch.complex128) for x in (poles, zeros, gains, omega))
    real, cplx = (torch.float64, torch.complex128) if double else (torch.float32, torch.complex64)
    e = torch.exp(1j * omega.to(real))[:, None, None]
    sections = gains.to(real) * (e - zeros.to(cplx)) / (e - poles.to(cplx))
    return sections.prod(dim=1).sum(dim=1)
