# Mistake: sin(omega[n] * n) instead of integrating the frequency: right for steady partials, wrong once they move.
def additive_synth(amplitudes, frequencies, n_samples):
    amp = upsample(amplitudes, n_samples)
    omega = upsample(frequencies, n_samples)
    n = torch.arange(n_samples, dtype=omega.dtype)
    return (amp * torch.sin(omega * n)).sum(dim=1)
