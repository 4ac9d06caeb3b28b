# Alternative: computed in the target's own dtype (float32 too), unnormalised MSE with the least-squares loss plugged in at every step, whole signal from one period on
def fit_plucked_string(target, sample_rate, init_delay, init_loss, n_iter=300, lr=0.05, history=None,
                       progress=False):
    y = target.detach()
    avg = 0.5 * (y + torch.cat([y.new_zeros(1), y[:-1]]))
    start = math.ceil(1.1 * init_delay) + 1          # past the excitation even from a start 10 % short
    t = y[start:]
    delay = torch.tensor(float(init_delay), dtype=y.dtype, requires_grad=True)
    optimizer = torch.optim.Adam([delay], lr=lr)
    for _ in range(n_iter):
        p = fractional_delay(avg, delay)[start:]
        gain = (p * t).sum() / (p * p).sum()
        objective = ((t - gain * p) ** 2).mean()
        optimizer.zero_grad()
        objective.backward()
        optimizer.step()
    with torch.no_grad():
        p = fractional_delay(avg, delay)[start:]
        gain = (p * t).sum() / (p * p).sum()
    return delay.item(), gain.item()
