# Swaps the roles of the axes: multiplies across the parallel axis and adds along the cascade axis.
def biquad_bank_response(poles, zeros, gains, omega):
    double = any(x.dtype in (torch.float64, torch.complex128) for x in (poles, zeros, gains, omega))
    real, cplx = (torch.float64, torch.complex128) if double else (torch.float32, torch.complex64)
    e = torch.exp(1j * omega.to(real))[:, None, None]
    p, z, g = poles.to(cplx), zeros.to(cplx), gains.to(real)
    sections = g * (e - z) * (e - z.conj()) / ((e - p) * (e - p.conj()))
    return sections.prod(dim=2).sum(dim=1)
