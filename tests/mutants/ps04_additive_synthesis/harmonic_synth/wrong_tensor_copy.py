# Mistake: torch.tensor(f0) copies f0 and detaches it, so no gradient reaches the pitch.
def harmonic_synth(f0, harmonic_amplitudes, n_samples):
    f0 = torch.tensor(f0, dtype=harmonic_amplitudes.dtype)
    return additive_synth(harmonic_amplitudes, harmonic_frequencies(f0, harmonic_amplitudes.shape[1]), n_samples)
