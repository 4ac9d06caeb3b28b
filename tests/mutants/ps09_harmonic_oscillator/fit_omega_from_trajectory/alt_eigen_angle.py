# Alternative: theta from the eigenvalues of the bilinear A_d (float32), cos/sin basis from n = 0, least squares.
def fit_omega_from_trajectory(y, dt, omega_init, n_iter=300, lr=0.05, progress=False):
    target = y.detach().float()
    n = torch.arange(target.shape[0], dtype=torch.float32)
    log_omega = torch.tensor(math.log(omega_init), requires_grad=True)
    optimizer = torch.optim.Adam([log_omega], lr=lr)
    zero = torch.zeros(1, 1)
    for _ in tqdm(range(n_iter), disable=not progress):
        A, B, C = sho_state_space(log_omega.exp() ** 2, 1.0)
        A_d = bilinear_discretize(A, B, C, zero, dt)[0]
        theta = torch.angle(torch.linalg.eigvals(A_d)).abs().max()
        basis = torch.stack([torch.cos(theta * n), torch.sin(theta * n)], dim=1)
        coef = torch.linalg.solve(basis.T @ basis, basis.T @ target)
        loss = ((basis @ coef - target) ** 2).mean() / (target**2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return log_omega.exp().item()
