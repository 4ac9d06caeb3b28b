# Mistake: a float32 accumulator (torch.zeros defaults to float32), so float64 inputs come back float32.
def additive_synth(amplitudes, frequencies, n_samples):
    batch, n_partials, _ = amplitudes.shape
    out = torch.zeros(batch, n_samples)
    for k in range(n_partials):
        amp = upsample(amplitudes[:, k], n_samples)
        omega = upsample(frequencies[:, k], n_samples)
        phase = F.pad(torch.cumsum(omega, dim=-1)[..., :-1], (1, 0))
        out = out + amp * torch.sin(phase)
    return out.to(torch.float32)
