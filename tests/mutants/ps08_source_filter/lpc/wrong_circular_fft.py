# Autocorrelation through an FFT of the frame's own length: circular (wraps the end onto the start), not linear.
def lpc(frame, order):
    spectrum = torch.fft.rfft(frame, dim=-1)
    r = torch.fft.irfft(spectrum.abs() ** 2, n=frame.shape[-1], dim=-1)
    a, _ = levinson_durbin(r[..., :order + 1], order)
    return a
