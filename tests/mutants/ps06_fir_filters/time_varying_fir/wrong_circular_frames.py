# Wrong: the framing rules are right but each frame is filtered with an n_fft-point FFT product, so its ring-out wraps onto its start.
def time_varying_fir(x, magnitudes, n_fft, hop_length):
    n = x.shape[-1]
    n_frames = n // hop_length + 1
    pad = n_fft // 2
    window = torch.hann_window(n_fft, dtype=x.dtype)
    padded = F.pad(x[None, None], (pad, pad), mode="reflect")[0, 0]
    frames = padded.unfold(-1, n_fft, hop_length) * window
    irs = frequency_sampling_fir(magnitudes)
    filtered = torch.fft.irfft(torch.fft.rfft(frames, n=n_fft) * torch.fft.rfft(irs, n=n_fft), n=n_fft)
    total = (n_frames - 1) * hop_length + n_fft
    fold = lambda c: F.fold(c.T[None], output_size=(1, total), kernel_size=(1, n_fft), stride=(1, hop_length))[0, 0, 0]
    y = fold(filtered)
    window_sum = fold(window.expand(n_frames, n_fft))
    return y[pad:pad + n] / window_sum[pad:pad + n]
