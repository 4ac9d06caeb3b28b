# Wrong: FFT size n (no zero padding), so the product of spectra is circular convolution and the ring-out wraps onto the start.
def fir_fft(x, h):
    n = x.shape[-1]
    spectrum = torch.fft.rfft(x, n=n) * torch.fft.rfft(h, n=n)
    return torch.fft.irfft(spectrum, n=n)
