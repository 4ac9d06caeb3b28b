# Valid: the biased estimate r[k] / n (a common scaling) computed with conv1d; the scale does not change a.
def lpc(frame, order):
    n = frame.shape[-1]
    x = frame.reshape(-1, 1, n)
    lags = []
    for k in range(order + 1):
        lags.append((x[..., k:] * x[..., :n - k]).sum(-1) / n)
    r = torch.cat(lags, dim=-1).reshape(*frame.shape[:-1], order + 1)
    a, _ = levinson_durbin(r, order)
    return a
