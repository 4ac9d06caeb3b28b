# Wrong: only whole-sample delays are searched (the best integer near the start), then the loss by least squares: up to half a sample off
def fit_plucked_string(target, sample_rate, init_delay, init_loss, n_iter=300, lr=0.05, history=None,
                       progress=False):
    y = target.detach().to(torch.float64)
    avg = (y + F.pad(y[:-1], (1, 0))) / 2
    start = 2 * (math.floor(init_delay) + 1)
    t = y[start:]
    best = None
    for d in range(math.floor(0.9 * init_delay), math.ceil(1.1 * init_delay) + 1):
        p = fractional_delay(avg, float(d))[start:]
        gain = (p * t).sum() / (p * p).sum()
        error = ((t - gain * p) ** 2).sum().item()
        if best is None or error < best[0]:
            best = (error, d, gain.item())
    return float(best[1]), best[2]
