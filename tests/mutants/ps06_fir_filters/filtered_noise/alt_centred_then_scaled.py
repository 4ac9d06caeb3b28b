# Alternative: (rand - 0.5) * 2, exactly equal to rand * 2 - 1 in floating point; the filter called by keyword.
def filtered_noise(magnitudes, n_samples, n_fft, hop_length, seed):
    uniform = torch.rand(n_samples, generator=torch.Generator().manual_seed(int(seed)), dtype=magnitudes.dtype)
    return time_varying_fir((uniform - 0.5) * 2, magnitudes, n_fft=n_fft, hop_length=hop_length)
