# Valid: a sample-by-sample float32 phase accumulator, wrapped into [0, 2 pi) at every step (as hardware does).
def additive_synth(amplitudes, frequencies, n_samples):
    amp = upsample(amplitudes, n_samples)
    omega = upsample(frequencies, n_samples)
    phase = torch.zeros_like(omega[..., 0])
    phases = []
    for n in range(n_samples):
        phases.append(phase)
        phase = torch.remainder(phase + omega[..., n], 2 * math.pi)
    return (amp * torch.sin(torch.stack(phases, dim=-1))).sum(dim=1)
