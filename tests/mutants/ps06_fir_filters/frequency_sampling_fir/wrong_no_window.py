# Wrong: shifted but not windowed (a rectangular window): exact at the sampled frequencies, rippling between them.
def frequency_sampling_fir(magnitudes):
    length = 2 * (magnitudes.shape[-1] - 1)
    return torch.roll(torch.fft.irfft(magnitudes, n=length, dim=-1), length // 2, dims=-1)
