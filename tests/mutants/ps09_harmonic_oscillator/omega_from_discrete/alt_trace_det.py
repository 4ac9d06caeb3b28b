# Alternative: 2x2 closed form from trace and determinant, lambda = tr/2 +- j sqrt(det - tr^2/4).
def omega_from_discrete(A_d, dt):
    tr = A_d[0, 0] + A_d[1, 1]
    det = A_d[0, 0] * A_d[1, 1] - A_d[0, 1] * A_d[1, 0]
    imag = torch.sqrt(torch.clamp(det - tr**2 / 4, min=0.0))
    return torch.atan2(imag, tr / 2) / dt
