# Wrong: evaluates on the unit circle z = exp(j omega) (discrete time) instead of s = j omega.
def two_pole_response(pole, omega):
    double = pole.dtype == torch.complex128 or omega.dtype == torch.float64
    dtype = torch.complex128 if double else torch.complex64
    p = pole.to(dtype)
    z = torch.exp(1j * omega.to(dtype))
    return 1 / ((z - p) * (z - p.conj()))
