# Mistake: averages the partials instead of summing them.
def additive_synth(amplitudes, frequencies, n_samples):
    amp = upsample(amplitudes, n_samples)
    omega = upsample(frequencies, n_samples)
    phase = F.pad(torch.cumsum(omega, dim=-1)[..., :-1], (1, 0))
    return (amp * torch.sin(phase)).mean(dim=1)
