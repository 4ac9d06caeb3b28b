# Valid: exclusive phase by subtracting omega from the inclusive sum, the sum over partials as an einsum.
def additive_synth(amplitudes, frequencies, n_samples):
    amp = upsample(amplitudes, n_samples)
    omega = upsample(frequencies, n_samples)
    phase = torch.cumsum(omega, dim=2) - omega
    return torch.einsum("bkn,bkn->bn", amp, torch.sin(phase))
