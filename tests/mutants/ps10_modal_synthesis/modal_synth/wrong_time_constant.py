# Reads the decays as time constants, exp(-t / d), instead of rates, exp(-d t).
def modal_synth(freqs_hz, decays, amplitudes, n_samples, sample_rate=16000):
    freqs_hz, decays, amplitudes = torch.broadcast_tensors(freqs_hz, decays, amplitudes)
    t = torch.arange(n_samples, dtype=freqs_hz.dtype) / sample_rate
    modes = amplitudes[..., None] * torch.exp(-t / decays[..., None]) * torch.sin(2 * math.pi * freqs_hz[..., None] * t)
    return modes.sum(dim=-2)
