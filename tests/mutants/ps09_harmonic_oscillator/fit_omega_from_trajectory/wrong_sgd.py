# Wrong: plain SGD on log(omega) instead of Adam: with lr = 0.05 the steps are far too small or too large.
def fit_omega_from_trajectory(y, dt, omega_init, n_iter=300, lr=0.05, progress=False):
    target = y.detach().to(torch.float64)
    n = torch.arange(1, target.shape[0] + 1, dtype=torch.float64)
    energy = (target**2).sum()
    log_omega = torch.tensor(math.log(omega_init), dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([log_omega], lr=lr)
    for _ in tqdm(range(n_iter), disable=not progress):
        theta = 2 * torch.atan(log_omega.exp() * dt / 2)
        basis = torch.stack([torch.cos(theta * n), torch.sin(theta * n)], dim=1)
        coef = torch.linalg.solve(basis.T @ basis, basis.T @ target)
        loss = ((basis @ coef - target) ** 2).sum() / energy
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return log_omega.exp().item()
