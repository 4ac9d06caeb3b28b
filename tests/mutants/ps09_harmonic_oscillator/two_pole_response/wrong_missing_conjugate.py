# Wrong: a single pole 1 / (j omega - p), the conjugate pole is missing.
def two_pole_response(pole, omega):
    double = pole.dtype == torch.complex128 or omega.dtype == torch.float64
    dtype = torch.complex128 if double else torch.complex64
    return 1 / (1j * omega.to(dtype) - pole.to(dtype))
