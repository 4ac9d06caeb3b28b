# Builds the time axis with the default dtype: float32 times, so float64 controls lose precision in the phase.
def modal_synth(freqs_hz, decays, amplitudes, n_samples, sample_rate=16000):
    freqs_hz, decays, amplitudes = torch.broadcast_tensors(freqs_hz, decays, amplitudes)
    t = torch.arange(n_samples) / sample_rate
    modes = amplitudes[..., None] * torch.exp(-decays[..., None] * t) * torch.sin(2 * math.pi * freqs_hz[..., None] * t)
    return modes.sum(dim=-2)
