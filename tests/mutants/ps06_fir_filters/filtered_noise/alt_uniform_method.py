# Alternative: Tensor.uniform_(-1, 1) with the seeded generator draws the same stream as rand * 2 - 1.
def filtered_noise(magnitudes, n_samples, n_fft, hop_length, seed):
    generator = torch.Generator(device="cpu")
    generator.manual_seed(seed)
    noise = torch.empty(n_samples, dtype=magnitudes.dtype).uniform_(-1.0, 1.0, generator=generator)
    return time_varying_fir(noise, magnitudes, n_fft, hop_length)
