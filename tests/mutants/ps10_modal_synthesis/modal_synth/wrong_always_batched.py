# Always returns (batch, n_samples): (K,) controls come back as (1, n_samples) instead of (n_samples,).
def modal_synth(freqs_hz, decays, amplitudes, n_samples, sample_rate=16000):
    freqs_hz, decays, amplitudes = (torch.atleast_2d(x) for x in (freqs_hz, decays, amplitudes))
    t = torch.arange(n_samples, dtype=freqs_hz.dtype) / sample_rate
    modes = amplitudes[..., None] * torch.exp(-decays[..., None] * t) * torch.sin(2 * math.pi * freqs_hz[..., None] * t)
    return modes.sum(dim=-2)
