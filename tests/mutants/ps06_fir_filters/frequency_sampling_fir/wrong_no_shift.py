# Wrong: no circular shift: the zero-phase IR stays centred on m = 0 (half of it at the end), and the window then keeps only its tails.
def frequency_sampling_fir(magnitudes):
    length = 2 * (magnitudes.shape[-1] - 1)
    h = torch.fft.irfft(magnitudes, n=length, dim=-1)
    return h * torch.hann_window(length, dtype=magnitudes.dtype)
