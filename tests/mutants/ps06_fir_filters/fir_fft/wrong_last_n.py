# Wrong: keeps the last n samples of the linear convolution (as if compensating a delay) instead of the first n.
def fir_fft(x, h):
    n, length = x.shape[-1], h.shape[-1]
    n_fft = n + length - 1
    spectrum = torch.fft.rfft(x, n=n_fft) * torch.fft.rfft(h, n=n_fft)
    return torch.fft.irfft(spectrum, n=n_fft)[..., length - 1:]
