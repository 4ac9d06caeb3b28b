# Wrong: uniform noise in [0, 1) (forgot * 2 - 1): a DC offset, and half the amplitude.
def filtered_noise(magnitudes, n_samples, n_fft, hop_length, seed):
    generator = torch.Generator().manual_seed(seed)
    noise = torch.rand(n_samples, generator=generator, dtype=magnitudes.dtype)
    return time_varying_fir(noise, magnitudes, n_fft, hop_length)
