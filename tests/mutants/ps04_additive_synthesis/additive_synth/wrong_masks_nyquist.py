# Mistake: silently drops partials at or above Nyquist (that is ps05's remove_above_nyquist, not this function's job).
def additive_synth(amplitudes, frequencies, n_samples):
    amplitudes = torch.where(frequencies >= math.pi, torch.zeros_like(amplitudes), amplitudes)
    amp = upsample(amplitudes, n_samples)
    omega = upsample(frequencies, n_samples)
    phase = F.pad(torch.cumsum(omega, dim=-1)[..., :-1], (1, 0))
    return (amp * torch.sin(phase)).sum(dim=1)
