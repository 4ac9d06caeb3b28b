# Alternative: a plain loop over frames, each windowed frame convolved directly (fir_conv1d on a zero-extended frame), slices added.
def time_varying_fir(x, magnitudes, n_fft, hop_length):
    n = x.shape[-1]
    n_frames = n // hop_length + 1
    pad = n_fft // 2
    window = torch.hann_window(n_fft, dtype=x.dtype)
    padded = F.pad(x.reshape(1, 1, n), (pad, pad), mode="reflect").reshape(-1)
    irs = frequency_sampling_fir(magnitudes)
    length = irs.shape[-1]
    total = (n_frames - 1) * hop_length + n_fft + length - 1
    out = [torch.zeros(total, dtype=x.dtype)]
    window_sum = torch.zeros(total, dtype=x.dtype)
    for i in range(n_frames):
        start = i * hop_length
        frame = F.pad(padded[start:start + n_fft] * window, (0, length - 1))
        filtered = fir_conv1d(frame, irs[i])                     # the full linear convolution
        out.append(F.pad(filtered, (start, total - start - filtered.shape[-1])))
        window_sum[start:start + n_fft] += window
    y = torch.stack(out).sum(0)
    return y[pad:pad + n] / window_sum[pad:pad + n]
