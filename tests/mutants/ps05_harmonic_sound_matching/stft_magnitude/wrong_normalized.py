# Wrong: normalized=True scales the spectrum by 1/sqrt(n_fft).
def stft_magnitude(x, n_fft, hop_length):
    window = torch.hann_window(n_fft, dtype=x.dtype)
    return torch.stft(x, n_fft, hop_length, window=window, center=True, pad_mode="reflect",
                      normalized=True, onesided=True, return_complex=True).abs()
