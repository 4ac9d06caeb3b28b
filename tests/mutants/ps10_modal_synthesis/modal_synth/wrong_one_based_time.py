# Starts the clock one sample late: t = (n + 1) / sample_rate, so y[0] is not 0.
def modal_synth(freqs_hz, decays, amplitudes, n_samples, sample_rate=16000):
    freqs_hz, decays, amplitudes = torch.broadcast_tensors(freqs_hz, decays, amplitudes)
    t = torch.arange(1, n_samples + 1, dtype=freqs_hz.dtype) / sample_rate
    modes = amplitudes[..., None] * torch.exp(-decays[..., None] * t) * torch.sin(2 * math.pi * freqs_hz[..., None] * t)
    return modes.sum(dim=-2)
