# Wrong: the model forgets dt (cos(omega n), omega taken as radians per sample), so the fit cannot reach rad/s.
def fit_omega_from_trajectory(y, dt, omega_init, n_iter=300, lr=0.05, progress=False):
    target = y.detach().to(torch.float64)
    n = torch.arange(target.shape[0], dtype=torch.float64)
    energy = (target**2).sum()
    log_omega = torch.tensor(math.log(omega_init), dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.Adam([log_omega], lr=lr)
    for _ in tqdm(range(n_iter), disable=not progress):
        omega = log_omega.exp()
        basis = torch.stack([torch.cos(omega * n), torch.sin(omega * n)], dim=1)
        coef = torch.linalg.solve(basis.T @ basis, basis.T @ target)
        loss = ((basis @ coef - target) ** 2).sum() / energy
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return log_omega.exp().item()
