# Wrong: Gaussian noise (torch.randn) instead of uniform noise in [-1, 1).
def filtered_noise(magnitudes, n_samples, n_fft, hop_length, seed):
    generator = torch.Generator().manual_seed(seed)
    noise = torch.randn(n_samples, generator=generator, dtype=magnitudes.dtype)
    return time_varying_fir(noise, magnitudes, n_fft, hop_length)
