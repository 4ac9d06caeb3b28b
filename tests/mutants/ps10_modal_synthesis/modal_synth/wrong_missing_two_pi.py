# Treats the frequencies in Hz as if they were angular: sin(f t) instead of sin(2 pi f t).
def modal_synth(freqs_hz, decays, amplitudes, n_samples, sample_rate=16000):
    freqs_hz, decays, amplitudes = torch.broadcast_tensors(freqs_hz, decays, amplitudes)
    t = torch.arange(n_samples, dtype=freqs_hz.dtype) / sample_rate
    modes = amplitudes[..., None] * torch.exp(-decays[..., None] * t) * torch.sin(freqs_hz[..., None] * t)
    return modes.sum(dim=-2)
