# Wrong: the symmetric Hann window (periodic=False), centred on (L-1)/2: breaks the symmetry about L/2.
def frequency_sampling_fir(magnitudes):
    length = 2 * (magnitudes.shape[-1] - 1)
    h = torch.roll(torch.fft.irfft(magnitudes, n=length, dim=-1), length // 2, dims=-1)
    return h * torch.hann_window(length, periodic=False, dtype=magnitudes.dtype)
