# Wrong: divides by rfft([1, -a]): the opposite sign convention for a.
def iir_frequency_sampling(x, a):
    n = x.shape[-1]
    if a.shape[-1] + 1 > n:
        raise ValueError("the denominator does not fit in the signal")
    denominator = torch.cat([torch.ones(1, dtype=a.dtype), -a])
    return torch.fft.irfft(torch.fft.rfft(x, dim=-1) / torch.fft.rfft(denominator, n=n), n=n, dim=-1)
