# Hard-codes single precision: complex64 even when the inputs are double.
def biquad_bank_response(poles, zeros, gains, omega):
    e = torch.exp(1j * omega.float())[:, None, None]
    p, z, g = poles.to(torch.complex64), zeros.to(torch.complex64), gains.float()
    sections = g * (e - z) * (e - z.conj()) / ((e - p) * (e - p.conj()))
    return sections.prod(dim=1).sum(dim=1)
