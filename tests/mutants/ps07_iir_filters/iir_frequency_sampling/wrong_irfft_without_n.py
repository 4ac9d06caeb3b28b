# Wrong: calls irfft without n=N, which returns 2*(N//2) samples: one short for odd N.
def iir_frequency_sampling(x, a):
    n = x.shape[-1]
    if a.shape[-1] + 1 > n:
        raise ValueError("the denominator does not fit in the signal")
    denominator = torch.cat([torch.ones(1, dtype=a.dtype), a])
    return torch.fft.irfft(torch.fft.rfft(x, dim=-1) / torch.fft.rfft(denominator, n=n), dim=-1)
