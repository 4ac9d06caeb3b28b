# Mistake: torch.cumsum is inclusive, so every partial starts one step ahead (phase[0] = omega[0]).
def additive_synth(amplitudes, frequencies, n_samples):
    amp = upsample(amplitudes, n_samples)
    omega = upsample(frequencies, n_samples)
    phase = torch.cumsum(omega, dim=-1)
    return (amp * torch.sin(phase)).sum(dim=1)
