# Wrong: no window argument, so torch.stft uses a rectangular window.
def stft_magnitude(x, n_fft, hop_length):
    return torch.stft(x, n_fft, hop_length, center=True, pad_mode="reflect",
                      normalized=False, onesided=True, return_complex=True).abs()
