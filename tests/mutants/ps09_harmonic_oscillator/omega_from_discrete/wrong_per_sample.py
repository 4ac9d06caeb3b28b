# Wrong: returns the angle per sample (rad/sample), forgetting to divide by dt.
def omega_from_discrete(A_d, dt):
    eigenvalues = torch.linalg.eigvals(A_d)
    return torch.angle(eigenvalues[0]).abs().to(A_d.dtype)
