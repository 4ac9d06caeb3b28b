# Alternative: the next power of two at least n + L - 1 as FFT size.
def fir_fft(x, h):
    n, length = x.shape[-1], h.shape[-1]
    n_fft = 1 << (n + length - 2).bit_length()
    spectrum = torch.fft.rfft(x, n=n_fft) * torch.fft.rfft(h, n=n_fft)
    return torch.fft.irfft(spectrum, n=n_fft)[..., :n]
