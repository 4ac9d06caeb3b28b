# Wrong: F.conv1d computes a correlation; the kernel is not flipped, so y[n] = sum_m h[m] x[n - L + 1 + m].
def fir_conv1d(x, h):
    n, length = x.shape[-1], h.shape[-1]
    rows = x.reshape(-1, 1, n)
    y = F.conv1d(F.pad(rows, (length - 1, 0)), h.reshape(1, 1, length))
    return y.reshape(x.shape)
