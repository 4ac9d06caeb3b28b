# Wrong: the prediction forgets the averaging filter (fractional_delay of the target itself): the delay absorbs its half sample and the loss its damping
def fit_plucked_string(target, sample_rate, init_delay, init_loss, n_iter=300, lr=0.05, history=None,
                       progress=False):
    y = target.detach().to(torch.float64)
    start = 2 * (math.floor(init_delay) + 1)
    t = y[start:]
    energy = (t * t).sum()
    delay = torch.tensor(float(init_delay), dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.Adam([delay], lr=lr)
    for _ in range(n_iter):
        p = fractional_delay(y, delay)[start:]
        objective = 1 - (p * t).sum() ** 2 / ((p * p).sum() * energy)
        optimizer.zero_grad()
        objective.backward()
        optimizer.step()
    with torch.no_grad():
        p = fractional_delay(y, delay)[start:]
        loss = (p * t).sum() / (p * p).sum()
    return delay.item(), loss.item()
