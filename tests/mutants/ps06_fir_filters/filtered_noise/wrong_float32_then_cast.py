# Wrong: draws the noise in float32 and casts it to the magnitudes' dtype: for float64 that is not the float64 stream.
def filtered_noise(magnitudes, n_samples, n_fft, hop_length, seed):
    generator = torch.Generator().manual_seed(seed)
    noise = (torch.rand(n_samples, generator=generator) * 2 - 1).to(magnitudes.dtype)
    return time_varying_fir(noise, magnitudes, n_fft, hop_length)
