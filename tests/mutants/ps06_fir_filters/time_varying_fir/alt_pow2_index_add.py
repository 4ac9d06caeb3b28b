# Alternative: power-of-two FFT per frame, overlap-add with index_add_, window sum computed in closed form by the same scatter.
def time_varying_fir(x, magnitudes, n_fft, hop_length):
    n = x.shape[-1]
    pad = n_fft // 2
    reflected = torch.cat([x[1:pad + 1].flip(0), x, x[-pad - 1:-1].flip(0)])
    window = torch.hann_window(n_fft, dtype=x.dtype)
    starts = torch.arange(magnitudes.shape[0]) * hop_length
    index = starts[:, None] + torch.arange(n_fft)[None, :]
    frames = reflected[index] * window
    irs = frequency_sampling_fir(magnitudes)
    n_conv = n_fft + irs.shape[-1] - 1
    size = 1 << (n_conv - 1).bit_length()
    filtered = torch.fft.irfft(torch.fft.rfft(frames, n=size) * torch.fft.rfft(irs, n=size), n=size)[:, :n_conv]
    total = int(starts[-1]) + n_conv
    out_index = (starts[:, None] + torch.arange(n_conv)[None, :]).reshape(-1)
    y = torch.zeros(total, dtype=x.dtype).index_add(0, out_index, filtered.reshape(-1))
    window_sum = torch.zeros(total, dtype=x.dtype).index_add(0, index.reshape(-1), window.repeat(len(starts)))
    return (y / window_sum.clamp(min=1e-12))[pad:pad + n]
