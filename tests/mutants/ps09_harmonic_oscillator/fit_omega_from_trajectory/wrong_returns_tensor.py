# Wrong: returns a 0-dim tensor instead of a Python float.
def fit_omega_from_trajectory(y, dt, omega_init, n_iter=300, lr=0.05, progress=False):
    target = y.detach().to(torch.float64)
    n = torch.arange(1, target.shape[0] + 1, dtype=torch.float64)
    energy = (target**2).sum()
    log_omega = torch.tensor(math.log(omega_init), dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.Adam([log_omega], lr=lr)
    for _ in tqdm(range(n_iter), disable=not progress):
        theta = 2 * torch.atan(log_omega.exp() * dt / 2)
        c, s = torch.cos(theta * n), torch.sin(theta * n)
        cc, ss, cs = (c * c).sum(), (s * s).sum(), (c * s).sum()
        cy, sy = (c * target).sum(), (s * target).sum()
        det = cc * ss - cs * cs
        a, b = (ss * cy - cs * sy) / det, (cc * sy - cs * cy) / det
        loss = ((a * c + b * s - target) ** 2).sum() / energy
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return log_omega.detach().exp()
