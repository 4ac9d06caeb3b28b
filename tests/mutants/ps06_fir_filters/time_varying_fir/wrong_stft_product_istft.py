# Wrong: the tutorial's shortcut: n_fft-point STFT times the IR's n_fft-point spectrum, then istft: circular convolution in every frame.
def time_varying_fir(x, magnitudes, n_fft, hop_length):
    window = torch.hann_window(n_fft, dtype=x.dtype)
    spectra = torch.stft(x, n_fft, hop_length, window=window, center=True, return_complex=True)
    responses = torch.fft.rfft(frequency_sampling_fir(magnitudes), n=n_fft)      # (n_frames, n_fft//2 + 1)
    return torch.istft(spectra * responses.T, n_fft, hop_length, window=window, center=True,
                       length=x.shape[-1])
