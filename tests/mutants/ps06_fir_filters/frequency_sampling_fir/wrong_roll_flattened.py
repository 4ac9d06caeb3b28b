# Wrong: torch.roll without dims= flattens the tensor first, so with leading dimensions the IRs bleed into each other.
def frequency_sampling_fir(magnitudes):
    length = 2 * (magnitudes.shape[-1] - 1)
    h = torch.roll(torch.fft.irfft(magnitudes, n=length), length // 2)
    return h * torch.hann_window(length, dtype=magnitudes.dtype)
