# Alternative: full complex FFTs and the real part of the inverse (the imaginary part is rounding noise).
def iir_frequency_sampling(x, a):
    n = x.shape[-1]
    if len(a) + 1 > n:
        raise ValueError(f"need N >= M + 1, got N = {n}, M = {len(a)}")
    denominator = F.pad(torch.cat([a.new_ones(1), a]), (0, n - len(a) - 1))
    return torch.fft.ifft(torch.fft.fft(x, dim=-1) / torch.fft.fft(denominator), dim=-1).real
