# Wrong: returns Hz (divides by 2 pi) where rad/s are due.
def omega_from_discrete(A_d, dt):
    eigenvalues = torch.linalg.eigvals(A_d)
    return (torch.angle(eigenvalues[0]).abs() / (2 * math.pi * dt)).to(A_d.dtype)
