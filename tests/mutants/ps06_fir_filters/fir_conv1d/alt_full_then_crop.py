# Alternative: full convolution by conv1d's symmetric padding, first n samples kept.
def fir_conv1d(x, h):
    n, length = x.shape[-1], h.shape[-1]
    full = F.conv1d(x.reshape(-1, 1, n), h.flip(0).view(1, 1, -1), padding=length - 1)
    return full[..., :n].reshape(x.shape)
