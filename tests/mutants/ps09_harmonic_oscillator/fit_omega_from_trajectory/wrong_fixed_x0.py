# Wrong: a fixed initial state [y[0], 0] (at rest) instead of fitting position and velocity.
def fit_omega_from_trajectory(y, dt, omega_init, n_iter=300, lr=0.05, progress=False):
    target = y.detach().to(torch.float64)
    log_omega = torch.tensor(math.log(omega_init), dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.Adam([log_omega], lr=lr)
    x0 = torch.stack([target[0], torch.zeros((), dtype=torch.float64)])
    zero = torch.zeros(1, 1, dtype=torch.float64)
    for _ in tqdm(range(n_iter), disable=not progress):
        A, B, C = sho_state_space(log_omega.exp() ** 2, 1.0)
        A_d, B_d, _, _ = bilinear_discretize(A, B, C, zero, dt)
        x = x0
        states = [x0]
        for _n in range(target.shape[0] - 1):
            x = A_d @ x
            states.append(x)
        model = torch.stack(states)[:, 0]          # the position, starting at y[0]
        loss = ((model - target) ** 2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return log_omega.exp().item()
