# Wrong: Adam on the cutoff in hertz: with lr = 0.05 it moves about 0.05 Hz per step and never gets there.
def fit_biquad_cutoff(x, target, init_hz, n_iter, lr, sample_rate=16000):
    cutoff = torch.tensor(float(init_hz), dtype=x.dtype, requires_grad=True)
    optimiser = torch.optim.Adam([cutoff], lr=lr)
    for _ in range(n_iter):
        optimiser.zero_grad()
        b, a = biquad_lowpass(cutoff, 1 / math.sqrt(2), sample_rate)
        fir = b[0] * x + b[1] * F.pad(x, (1, 0))[:-1] + b[2] * F.pad(x, (2, 0))[:-2]
        loss = ((AllPoleFilter.apply(fir, a[1:]) - target) ** 2).mean()
        loss.backward()
        optimiser.step()
    return cutoff.item()
