# Wrong: "un-warps" the bilinear frequency, (2/dt) tan(theta/2), instead of reading |theta|/dt as written.
def omega_from_discrete(A_d, dt):
    theta = torch.angle(torch.linalg.eigvals(A_d)[0]).abs()
    return (2 / dt * torch.tan(theta / 2)).to(A_d.dtype)
