# Alternative: windows of the left-padded signal via unfold, then a matrix product with the flipped IR.
def fir_conv1d(x, h):
    length = h.shape[-1]
    padded = F.pad(x, (length - 1, 0))
    windows = padded.unfold(-1, length, 1)          # (..., n, L): x[n-L+1], ..., x[n]
    return windows @ h.flip(-1)
