# Valid: the difference equation written as a loop over the lags with explicit slicing and concatenation.
def lpc_residual(signal, a):
    out = signal.clone()
    n = signal.shape[-1]
    for k in range(1, min(a.shape[-1], n - 1) + 1):
        zeros = torch.zeros_like(signal[..., :k])
        out = out + torch.cat([zeros, a[..., k - 1, None] * signal[..., :n - k]], dim=-1)
    return out
