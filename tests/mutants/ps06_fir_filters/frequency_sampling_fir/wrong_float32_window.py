# Wrong: the window is made in float32 (the default dtype); float64 magnitudes come back float64 but with float32 window values.
def frequency_sampling_fir(magnitudes):
    length = 2 * (magnitudes.shape[-1] - 1)
    h = torch.roll(torch.fft.irfft(magnitudes, n=length, dim=-1), length // 2, dims=-1)
    return h * torch.hann_window(length).to(magnitudes.dtype)
