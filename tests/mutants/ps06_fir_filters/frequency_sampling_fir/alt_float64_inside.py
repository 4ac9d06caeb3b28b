# Alternative: computes in float64 and casts back to the input's dtype; shift done by concatenating the halves.
def frequency_sampling_fir(magnitudes):
    length = 2 * (magnitudes.shape[-1] - 1)
    h = torch.fft.irfft(magnitudes.double(), n=length, dim=-1)
    h = torch.cat([h[..., length // 2:], h[..., : length // 2]], dim=-1)
    return (h * torch.hann_window(length, dtype=torch.float64)).to(magnitudes.dtype)
