# Wrong: returns the loop's phase delay (delay + 0.5, the period in samples) instead of fractional_delay's argument
def fit_plucked_string(target, sample_rate, init_delay, init_loss, n_iter=300, lr=0.05, history=None,
                       progress=False):
    y = target.detach().to(torch.float64)
    avg = (y + F.pad(y[:-1], (1, 0))) / 2
    start = 2 * (math.floor(init_delay) + 1)
    t = y[start:]
    energy = (t * t).sum()
    delay = torch.tensor(float(init_delay), dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.Adam([delay], lr=lr)
    for _ in range(n_iter):
        p = fractional_delay(avg, delay)[start:]
        objective = 1 - (p * t).sum() ** 2 / ((p * p).sum() * energy)
        optimizer.zero_grad()
        objective.backward()
        optimizer.step()
    with torch.no_grad():
        p = fractional_delay(avg, delay)[start:]
        loss = (p * t).sum() / (p * p).sum()
    period = delay.item() + 0.5                 # the pitch is sample_rate / period
    return period, loss.item()
