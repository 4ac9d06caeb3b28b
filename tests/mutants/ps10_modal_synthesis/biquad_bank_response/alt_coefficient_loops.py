# Loops over sections with real biquad coefficients b = g [1, -2 Re z, |z|^2], a = [1, -2 Re p, |p|^2].
def biquad_bank_response(poles, zeros, gains, omega):
    double = any(x.dtype in (torch.float64, torch.complex128) for x in (poles, zeros, gains, omega))
    real = torch.float64 if double else torch.float32
    cplx = torch.complex128 if double else torch.complex64
    w = omega.to(real)
    z1 = torch.complex(torch.cos(w), -torch.sin(w))          # e^{-jw}
    z2 = z1 * z1
    n_cascade, n_parallel = poles.shape
    total = torch.zeros(w.shape, dtype=cplx)
    for b in range(n_parallel):
        branch = torch.ones(w.shape, dtype=cplx)
        for c in range(n_cascade):
            p, q, g = poles[c, b].to(cplx), zeros[c, b].to(cplx), gains[c, b].to(real)
            num = g * (1 - 2 * q.real * z1 + (q.real ** 2 + q.imag ** 2) * z2)
            den = 1 - 2 * p.real * z1 + (p.real ** 2 + p.imag ** 2) * z2
            branch = branch * num / den
        total = total + branch
    return total
