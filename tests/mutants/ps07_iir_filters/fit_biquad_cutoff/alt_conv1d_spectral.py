# Alternative: causal FIR part by conv1d with left padding, and a linear-magnitude spectral MSE, Adam on log f.
def fit_biquad_cutoff(x, target, init_hz, n_iter, lr, sample_rate=16000):
    theta = torch.nn.Parameter(torch.tensor(math.log(init_hz), dtype=x.dtype))
    opt = torch.optim.Adam([theta], lr=lr)
    target_mag = torch.fft.rfft(target).abs()
    for step in range(n_iter):
        b, a = biquad_lowpass(torch.exp(theta), q=2 ** -0.5, sample_rate=sample_rate)
        fir = F.conv1d(F.pad(x.view(1, 1, -1), (2, 0)), b.flip(0).view(1, 1, 3)).view(-1)
        y = AllPoleFilter.apply(fir, a[1:])
        loss = ((torch.fft.rfft(y).abs() - target_mag) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    return math.exp(theta.item())
