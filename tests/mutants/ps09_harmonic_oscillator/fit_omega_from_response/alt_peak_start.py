# Alternative: starts omega0 at omega_init but fits log|H|^2 with sigmoid-bounded damping, returns the peak frequency.
def fit_omega_from_response(magnitude, omega, omega_init, n_iter=300, lr=0.05, progress=False):
    target = 2 * torch.log(magnitude.detach().double())
    grid = omega.detach().double()
    log_omega = torch.tensor(math.log(omega_init), dtype=torch.float64, requires_grad=True)
    raw_zeta = torch.tensor(-2.0, dtype=torch.float64, requires_grad=True)      # zeta = 0.5 sigmoid(raw)
    optimizer = torch.optim.Adam([log_omega, raw_zeta], lr=lr)
    for _ in tqdm(range(n_iter), disable=not progress):
        omega0 = log_omega.exp()
        zeta = 0.5 * torch.sigmoid(raw_zeta)
        p = torch.complex(-zeta * omega0, omega0 * torch.sqrt(1 - zeta**2))
        model = 2 * torch.log(two_pole_response(p, grid).abs())
        loss = ((model - target) ** 2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        zeta = 0.5 * torch.sigmoid(raw_zeta)
        return (log_omega.exp() * torch.sqrt(1 - 2 * zeta**2)).item()
