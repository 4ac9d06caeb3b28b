# Alternative: reflect padding with F.pad, framing with unfold, the periodic Hann by its formula, rfft.
def stft_magnitude(x, n_fft, hop_length):
    pad = n_fft // 2
    padded = F.pad(x[:, None, :], (pad, pad), mode="reflect")[:, 0, :]
    frames = padded.unfold(-1, n_fft, hop_length)  # (batch, n_frames, n_fft)
    n = torch.arange(n_fft, dtype=x.dtype)
    window = 0.5 - 0.5 * torch.cos(2 * math.pi * n / n_fft)
    return torch.fft.rfft(frames * window, dim=-1).abs().transpose(1, 2)
