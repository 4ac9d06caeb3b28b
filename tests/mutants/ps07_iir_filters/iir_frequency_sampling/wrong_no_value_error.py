# Wrong: no length check, so rfft(..., n=N) silently truncates a denominator longer than the signal.
def iir_frequency_sampling(x, a):
    n = x.shape[-1]
    denominator = torch.cat([torch.ones(1, dtype=a.dtype), a])
    return torch.fft.irfft(torch.fft.rfft(x, dim=-1) / torch.fft.rfft(denominator, n=n), n=n, dim=-1)
