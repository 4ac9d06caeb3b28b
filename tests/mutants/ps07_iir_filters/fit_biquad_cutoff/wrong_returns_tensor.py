# Wrong: returns the fitted cutoff as a 0-dim tensor instead of a Python float.
def fit_biquad_cutoff(x, target, init_hz, n_iter, lr, sample_rate=16000):
    log_cutoff = torch.tensor(math.log(init_hz), dtype=x.dtype, requires_grad=True)
    optimiser = torch.optim.Adam([log_cutoff], lr=lr)
    for _ in range(n_iter):
        optimiser.zero_grad()
        b, a = biquad_lowpass(log_cutoff.exp(), 1 / math.sqrt(2), sample_rate)
        fir = b[0] * x + b[1] * F.pad(x, (1, 0))[:-1] + b[2] * F.pad(x, (2, 0))[:-2]
        loss = ((AllPoleFilter.apply(fir, a[1:]) - target) ** 2).mean()
        loss.backward()
        optimiser.step()
    return log_cutoff.detach().exp()
