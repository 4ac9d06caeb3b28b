# Wrong: Adam on omega0 itself (rad/s) with lr = 0.05: steps of 0.05 rad/s cannot travel 10-20 % of hundreds of rad/s.
def fit_omega_from_response(magnitude, omega, omega_init, n_iter=300, lr=0.05, progress=False):
    target = torch.log(magnitude.detach().to(torch.float64))
    grid = omega.detach().to(torch.float64)
    omega0 = torch.tensor(float(omega_init), dtype=torch.float64, requires_grad=True)
    log_zeta = torch.tensor(math.log(0.05), dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.Adam([omega0, log_zeta], lr=lr)

    def pole():
        zeta = log_zeta.exp().clamp(max=0.99)
        return torch.complex(-zeta * omega0, omega0 * torch.sqrt(1 - zeta**2))

    for _ in tqdm(range(n_iter), disable=not progress):
        loss = ((torch.log(two_pole_response(pole(), grid).abs()) - target) ** 2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        return pole().imag.item()
