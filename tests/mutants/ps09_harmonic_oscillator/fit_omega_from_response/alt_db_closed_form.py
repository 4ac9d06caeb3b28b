# Alternative: dB magnitudes in closed form (real arithmetic, float32), fixed damping start, returns |p|.
def fit_omega_from_response(magnitude, omega, omega_init, n_iter=300, lr=0.05, progress=False):
    target_db = 20 * torch.log10(magnitude.detach().float())
    grid = omega.detach().float()
    log_omega = torch.tensor(math.log(omega_init), requires_grad=True)
    log_zeta = torch.tensor(math.log(0.05), requires_grad=True)
    optimizer = torch.optim.Adam([log_omega, log_zeta], lr=lr)
    for _ in tqdm(range(n_iter), disable=not progress):
        omega0, zeta = log_omega.exp(), log_zeta.exp()
        power = (omega0**2 - grid**2) ** 2 + (2 * zeta * omega0 * grid) ** 2
        model_db = -10 * torch.log10(power)
        loss = ((model_db - target_db) ** 2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return log_omega.exp().item()
