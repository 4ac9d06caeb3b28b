# Wrong: returns the power spectrum |X|**2 instead of the magnitude |X|.
def stft_magnitude(x, n_fft, hop_length):
    window = torch.hann_window(n_fft, dtype=x.dtype)
    return torch.stft(x, n_fft, hop_length, window=window, center=True, pad_mode="reflect",
                      normalized=False, onesided=True, return_complex=True).abs() ** 2
