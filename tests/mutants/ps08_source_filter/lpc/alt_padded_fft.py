# Valid: autocorrelation through an FFT zero-padded to at least 2n, which makes it linear.
def lpc(frame, order):
    n = frame.shape[-1]
    size = 1 << (2 * n - 1).bit_length()
    spectrum = torch.fft.rfft(frame, n=size, dim=-1)
    r = torch.fft.irfft(spectrum.real ** 2 + spectrum.imag ** 2, n=size, dim=-1)[..., :order + 1]
    a, _ = levinson_durbin(r, order)
    return a
