# Alternative: computes in complex128 and casts to the result dtype at the end.
def two_pole_response(pole, omega):
    double = pole.dtype == torch.complex128 or omega.dtype == torch.float64
    out_dtype = torch.complex128 if double else torch.complex64
    p = pole.to(torch.complex128)
    s = 1j * omega.to(torch.float64)
    return (1 / (s - p) / (s - torch.conj(p))).to(out_dtype)
