# Wrong: returns the real magnitude |H| instead of the complex response.
def two_pole_response(pole, omega):
    double = pole.dtype == torch.complex128 or omega.dtype == torch.float64
    dtype = torch.complex128 if double else torch.complex64
    s = 1j * omega.to(dtype)
    p = pole.to(dtype)
    return (1 / ((s - p) * (s - p.conj()))).abs()
