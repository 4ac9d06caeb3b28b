# Alternative: a loop over the taps, adding delayed, scaled copies of x (shift by left-padding and cropping).
def fir_conv1d(x, h):
    n = x.shape[-1]
    y = torch.zeros_like(x)
    for m in range(min(h.shape[-1], n)):
        delayed = F.pad(x[..., : n - m], (m, 0))
        y = y + h[m] * delayed
    return y
