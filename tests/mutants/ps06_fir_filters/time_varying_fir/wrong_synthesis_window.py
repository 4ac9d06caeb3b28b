# Wrong: istft habits: windows each filtered frame a second time (a synthesis window, truncated to n_fft) and divides by the sum of squared windows.
def time_varying_fir(x, magnitudes, n_fft, hop_length):
    n = x.shape[-1]
    n_frames = n // hop_length + 1
    pad = n_fft // 2
    window = torch.hann_window(n_fft, dtype=x.dtype)
    padded = F.pad(x[None, None], (pad, pad), mode="reflect")[0, 0]
    frames = padded.unfold(-1, n_fft, hop_length) * window
    irs = frequency_sampling_fir(magnitudes)
    n_conv = n_fft + irs.shape[-1] - 1
    filtered = torch.fft.irfft(torch.fft.rfft(frames, n=n_conv) * torch.fft.rfft(irs, n=n_conv), n=n_conv)
    filtered = filtered[:, :n_fft] * window
    total = (n_frames - 1) * hop_length + n_fft
    fold = lambda c: F.fold(c.T[None], output_size=(1, total), kernel_size=(1, n_fft), stride=(1, hop_length))[0, 0, 0]
    return fold(filtered)[pad:pad + n] / fold((window ** 2).expand(n_frames, n_fft))[pad:pad + n]
