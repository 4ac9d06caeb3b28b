# Wrong: pads with zeros (librosa's default) instead of by reflection.
def stft_magnitude(x, n_fft, hop_length):
    window = torch.hann_window(n_fft, dtype=x.dtype)
    return torch.stft(x, n_fft, hop_length, window=window, center=True, pad_mode="constant",
                      normalized=False, onesided=True, return_complex=True).abs()
