# The covariance method: sums over n = order..N-1 only, so the lags see different windows of the frame.
def lpc(frame, order):
    n = frame.shape[-1]
    r = torch.stack([(frame[..., order:] * frame[..., order - k:n - k]).sum(-1) for k in range(order + 1)], dim=-1)
    a, _ = levinson_durbin(r, order)
    return a
