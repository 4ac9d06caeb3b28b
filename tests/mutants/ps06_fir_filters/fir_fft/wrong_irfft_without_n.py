# Wrong: irfft without n=, which assumes an even length 2*(bins-1); wrong whenever n + L - 1 is odd.
def fir_fft(x, h):
    n, length = x.shape[-1], h.shape[-1]
    n_fft = n + length - 1
    spectrum = torch.fft.rfft(x, n=n_fft) * torch.fft.rfft(h, n=n_fft)
    return torch.fft.irfft(spectrum)[..., :n]
