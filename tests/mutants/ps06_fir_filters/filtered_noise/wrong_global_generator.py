# Wrong: draws from the global generator and ignores the seed: the output changes from call to call.
def filtered_noise(magnitudes, n_samples, n_fft, hop_length, seed):
    noise = torch.rand(n_samples, dtype=magnitudes.dtype) * 2 - 1
    return time_varying_fir(noise, magnitudes, n_fft, hop_length)
