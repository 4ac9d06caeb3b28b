# Wrong: pads the L-1 zeros on the right, so the filter looks ahead into the future (anti-causal).
def fir_conv1d(x, h):
    n, length = x.shape[-1], h.shape[-1]
    rows = x.reshape(-1, 1, n)
    y = F.conv1d(F.pad(rows, (0, length - 1)), h.flip(-1).reshape(1, 1, length))
    return y.reshape(x.shape)
