# Wrong: "fixes" the aliasing by dividing 2N-point spectra and cropping to N: closer to the recursion, but not
# the N-point frequency sampling asked for.
def iir_frequency_sampling(x, a):
    n = x.shape[-1]
    if a.shape[-1] + 1 > n:
        raise ValueError("the denominator does not fit in the signal")
    denominator = torch.cat([torch.ones(1, dtype=a.dtype), a])
    spectrum = torch.fft.rfft(x, n=2 * n, dim=-1) / torch.fft.rfft(denominator, n=2 * n)
    return torch.fft.irfft(spectrum, n=2 * n, dim=-1)[..., :n]
