# Alternative: fits in float64 whatever the input dtype, Adam on log f with waveform MSE, FIR part by slicing.
def fit_biquad_cutoff(x, target, init_hz, n_iter, lr, sample_rate=16000):
    x64, t64 = x.double(), target.double()
    log_f = torch.tensor([math.log(init_hz)], dtype=torch.float64, requires_grad=True)
    optimiser = torch.optim.Adam([log_f], lr=lr)
    padded = torch.cat([x64.new_zeros(2), x64])
    n = x64.shape[0]
    for _ in range(n_iter):
        b, a = biquad_lowpass(log_f[0].exp(), 1 / math.sqrt(2), sample_rate)
        fir = b[0] * padded[2:] + b[1] * padded[1:n + 1] + b[2] * padded[:n]
        loss = torch.mean((AllPoleFilter.apply(fir, a[1:]) - t64) ** 2)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    return float(log_f[0].exp())
