# Wrong: numpy's generator with the same seed: uniform in [-1, 1) and reproducible, but not the specified torch stream.
def filtered_noise(magnitudes, n_samples, n_fft, hop_length, seed):
    noise = torch.from_numpy(np.random.default_rng(seed).uniform(-1.0, 1.0, n_samples)).to(magnitudes.dtype)
    return time_varying_fir(noise, magnitudes, n_fft, hop_length)
