# Valid: one partial at a time, phase accumulated in float64 and wrapped, cast back to the input dtype.
def additive_synth(amplitudes, frequencies, n_samples):
    out = 0
    for k in range(amplitudes.shape[1]):
        amp = upsample(amplitudes[:, k], n_samples)
        omega = upsample(frequencies[:, k].double(), n_samples)
        phase = torch.cumsum(omega, dim=-1) - omega
        phase = torch.remainder(phase, 2 * math.pi)
        out = out + amp * torch.sin(phase).to(amplitudes.dtype)
    return out
