# Wrong: a symmetric Hann window (periodic=False) instead of the periodic one.
def stft_magnitude(x, n_fft, hop_length):
    window = torch.hann_window(n_fft, periodic=False, dtype=x.dtype)
    return torch.stft(x, n_fft, hop_length, window=window, center=True, pad_mode="reflect",
                      normalized=False, onesided=True, return_complex=True).abs()
