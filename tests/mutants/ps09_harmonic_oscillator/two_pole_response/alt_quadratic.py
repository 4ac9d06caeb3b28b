# Alternative: the expanded denominator s^2 - 2 Re(p) s + |p|^2.
def two_pole_response(pole, omega):
    double = pole.dtype == torch.complex128 or omega.dtype == torch.float64
    dtype = torch.complex128 if double else torch.complex64
    p = pole.to(dtype)
    s = torch.complex(torch.zeros_like(omega), omega).to(dtype)
    return 1 / (s * s - 2 * p.real * s + p.abs() ** 2)
