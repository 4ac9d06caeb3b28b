# Alternative: Adam on the delay and the loss together (from init_loss), teacher-forced waveform MSE beyond two periods
def fit_plucked_string(target, sample_rate, init_delay, init_loss, n_iter=300, lr=0.05, history=None,
                       progress=False):
    y = target.detach().to(torch.float64)
    avg = (y + F.pad(y[:-1], (1, 0))) / 2
    start = 2 * (math.floor(init_delay) + 1)
    delay = torch.tensor(float(init_delay), dtype=torch.float64, requires_grad=True)
    loss = torch.tensor(float(init_loss), dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.Adam([delay, loss], lr=lr)
    for _ in range(n_iter):
        prediction = loss * fractional_delay(avg, delay)
        objective = ((prediction - y)[start:] ** 2).mean()
        optimizer.zero_grad()
        objective.backward()
        optimizer.step()
    return float(delay.detach()), float(loss.detach())
