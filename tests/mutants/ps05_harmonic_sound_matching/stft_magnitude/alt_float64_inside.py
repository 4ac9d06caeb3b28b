# Alternative: the transform in float64, cast back to the input's dtype.
def stft_magnitude(x, n_fft, hop_length):
    x64 = x.to(torch.float64)
    spectrum = torch.stft(x64, n_fft, hop_length=hop_length, window=torch.hann_window(n_fft, dtype=torch.float64),
                          center=True, pad_mode="reflect", return_complex=True)
    return torch.abs(spectrum).to(x.dtype)
