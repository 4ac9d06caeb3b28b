# Wrong: windows before the circular shift, so the window is centred on the zero-phase IR's tails, not on its peak.
def frequency_sampling_fir(magnitudes):
    length = 2 * (magnitudes.shape[-1] - 1)
    h = torch.fft.irfft(magnitudes, n=length, dim=-1) * torch.hann_window(length, dtype=magnitudes.dtype)
    return torch.roll(h, length // 2, dims=-1)
