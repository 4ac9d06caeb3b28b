# Wrong: treats omega as Hz, s = j 2 pi omega.
def two_pole_response(pole, omega):
    double = pole.dtype == torch.complex128 or omega.dtype == torch.float64
    dtype = torch.complex128 if double else torch.complex64
    p = pole.to(dtype)
    s = 2j * math.pi * omega.to(dtype)
    return 1 / ((s - p) * (s - p.conj()))
