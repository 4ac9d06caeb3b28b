# Alternative: the model simulated with simulate_state_space from x0 = [1, 0] and [0, 1] (a sample loop), x0 by least squares.
def fit_omega_from_trajectory(y, dt, omega_init, n_iter=300, lr=0.05, progress=False):
    target = y.detach().double()
    n_samples = target.shape[0]
    log_omega = torch.tensor(math.log(omega_init), dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.Adam([log_omega], lr=lr)
    zero = torch.zeros(1, 1, dtype=torch.float64)
    u = torch.zeros(n_samples, 1, dtype=torch.float64)
    e1 = torch.tensor([1.0, 0.0], dtype=torch.float64)
    e2 = torch.tensor([0.0, 1.0], dtype=torch.float64)
    for _ in tqdm(range(n_iter), disable=not progress):
        A, B, C = sho_state_space(log_omega.exp() ** 2, 1.0)
        A_d, B_d, C_d, _ = bilinear_discretize(A, B, C, zero, dt)
        basis = torch.stack([simulate_state_space(A_d, B_d, C_d, u, e1),
                             simulate_state_space(A_d, B_d, C_d, u, e2)], dim=1)
        x0 = torch.linalg.solve(basis.T @ basis, basis.T @ target)
        loss = ((basis @ x0 - target) ** 2).sum() / (target**2).sum()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return log_omega.exp().item()
