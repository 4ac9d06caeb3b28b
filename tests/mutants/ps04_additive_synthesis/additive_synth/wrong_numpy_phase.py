# Mistake: the phase goes through numpy, so no gradient reaches the frequencies.
def additive_synth(amplitudes, frequencies, n_samples):
    amp = upsample(amplitudes, n_samples)
    omega = upsample(frequencies, n_samples).detach().numpy()
    phase = np.cumsum(omega, axis=-1) - omega
    return (amp * torch.sin(torch.from_numpy(phase))).sum(dim=1)
