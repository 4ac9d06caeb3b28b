# Alternative: full complex FFTs with explicit zero padding, real part of the inverse.
def fir_fft(x, h):
    n, length = x.shape[-1], h.shape[-1]
    n_fft = n + length
    xp = F.pad(x, (0, n_fft - n))
    hp = F.pad(h, (0, n_fft - length))
    y = torch.fft.ifft(torch.fft.fft(xp) * torch.fft.fft(hp)).real
    return y[..., :n]
