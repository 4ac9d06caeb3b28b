# Wrong: returns a 0-dim tensor instead of a Python float.
def fit_omega_from_response(magnitude, omega, omega_init, n_iter=300, lr=0.05, progress=False):
    target = torch.log(magnitude.detach().to(torch.float64))
    grid = omega.detach().to(torch.float64)
    zeta_init = min(max(1.0 / (2.0 * omega_init**2 * magnitude.max().item()), 1e-3), 0.5)
    log_omega = torch.tensor(math.log(omega_init), dtype=torch.float64, requires_grad=True)
    log_zeta = torch.tensor(math.log(zeta_init), dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.Adam([log_omega, log_zeta], lr=lr)

    def pole():
        omega0 = log_omega.exp()
        zeta = log_zeta.exp().clamp(max=0.99)
        return torch.complex(-zeta * omega0, omega0 * torch.sqrt(1 - zeta**2))

    for _ in tqdm(range(n_iter), disable=not progress):
        loss = ((torch.log(two_pole_response(pole(), grid).abs()) - target) ** 2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        return pole().imag
