# Wrong: FFT size max(n, L): enough to hold either signal, not their convolution, so the tail still wraps.
def fir_fft(x, h):
    n, length = x.shape[-1], h.shape[-1]
    n_fft = max(n, length)
    spectrum = torch.fft.rfft(x, n=n_fft) * torch.fft.rfft(h, n=n_fft)
    return torch.fft.irfft(spectrum, n=n_fft)[..., :n]
