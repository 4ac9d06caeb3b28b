# Wrong: computes the full convolution but keeps its last n samples instead of the first n.
def fir_conv1d(x, h):
    n, length = x.shape[-1], h.shape[-1]
    rows = x.reshape(-1, 1, n)
    full = F.conv1d(rows, h.flip(-1).reshape(1, 1, length), padding=length - 1)
    return full[..., -n:].reshape(x.shape)
