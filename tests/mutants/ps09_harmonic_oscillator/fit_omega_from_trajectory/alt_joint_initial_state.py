# Alternative: position and scaled velocity fitted jointly by Adam from a data-based start, float32, time origin n = 0.
def fit_omega_from_trajectory(y, dt, omega_init, n_iter=300, lr=0.05, progress=False):
    target = y.detach().float()
    n = torch.arange(target.shape[0], dtype=torch.float32)
    log_omega = torch.tensor(math.log(omega_init), requires_grad=True)
    position = target[0].clone().requires_grad_(True)
    velocity = ((target[1] - target[0]) / dt / omega_init).clone().requires_grad_(True)   # v / omega
    optimizer = torch.optim.Adam([log_omega, position, velocity], lr=lr)
    for _ in tqdm(range(n_iter), disable=not progress):
        theta = 2 * torch.atan(log_omega.exp() * dt / 2)
        model = position * torch.cos(theta * n) + velocity * torch.sin(theta * n)
        loss = ((model - target) ** 2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return float(log_omega.detach().exp())
