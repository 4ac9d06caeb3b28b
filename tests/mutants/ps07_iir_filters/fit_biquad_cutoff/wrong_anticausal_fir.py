# Wrong: applies b with a centred ("same") convolution, b[0] x[n+1] + b[1] x[n] + b[2] x[n-1]: the model
# is one sample early, so it can never match the target and the cutoff is pulled away from the truth.
def fit_biquad_cutoff(x, target, init_hz, n_iter, lr, sample_rate=16000):
    log_cutoff = torch.tensor(math.log(init_hz), dtype=x.dtype, requires_grad=True)
    optimiser = torch.optim.Adam([log_cutoff], lr=lr)
    for _ in range(n_iter):
        optimiser.zero_grad()
        b, a = biquad_lowpass(log_cutoff.exp(), 1 / math.sqrt(2), sample_rate)
        fir = F.conv1d(x.view(1, 1, -1), b.flip(0).view(1, 1, 3), padding=1).view(-1)
        loss = ((AllPoleFilter.apply(fir, a[1:]) - target) ** 2).mean()
        loss.backward()
        optimiser.step()
    return log_cutoff.exp().item()
