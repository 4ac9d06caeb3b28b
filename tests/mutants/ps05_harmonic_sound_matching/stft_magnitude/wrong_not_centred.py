# Wrong: center=False, so frames start at i*hop without padding (fewer frames, shifted).
def stft_magnitude(x, n_fft, hop_length):
    window = torch.hann_window(n_fft, dtype=x.dtype)
    return torch.stft(x, n_fft, hop_length, window=window, center=False,
                      normalized=False, onesided=True, return_complex=True).abs()
