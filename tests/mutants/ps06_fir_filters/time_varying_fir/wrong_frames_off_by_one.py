# Wrong: pairs frame i with the response of frame i+1 (the last response repeated), as if responses described the frame ends.
def time_varying_fir(x, magnitudes, n_fft, hop_length):
    n = x.shape[-1]
    n_frames = n // hop_length + 1
    pad = n_fft // 2
    window = torch.hann_window(n_fft, dtype=x.dtype)
    padded = F.pad(x[None, None], (pad, pad), mode="reflect")[0, 0]
    frames = padded.unfold(-1, n_fft, hop_length) * window
    shifted = torch.cat([magnitudes[1:], magnitudes[-1:]], dim=0)
    irs = frequency_sampling_fir(shifted)
    n_conv = n_fft + irs.shape[-1] - 1
    filtered = torch.fft.irfft(torch.fft.rfft(frames, n=n_conv) * torch.fft.rfft(irs, n=n_conv), n=n_conv)

    def overlap_add(chunks):
        size = chunks.shape[-1]
        total = (n_frames - 1) * hop_length + size
        return F.fold(chunks.T[None], output_size=(1, total), kernel_size=(1, size), stride=(1, hop_length))[0, 0, 0]

    return overlap_add(filtered)[pad:pad + n] / overlap_add(window.expand(n_frames, n_fft))[pad:pad + n]
