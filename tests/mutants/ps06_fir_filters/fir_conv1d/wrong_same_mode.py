# Wrong: "same"-mode convolution (centred, like np.convolve(mode="same")): the output is shifted (L-1)//2 samples early, anti-causal.
def fir_conv1d(x, h):
    n, length = x.shape[-1], h.shape[-1]
    rows = x.reshape(-1, 1, n)
    left = (length - 1) // 2
    y = F.conv1d(F.pad(rows, (left, length - 1 - left)), h.flip(-1).reshape(1, 1, length))
    return y.reshape(x.shape)
