# Mistake: treats f0 as Hz and converts it again, although it is already in radians per sample.
def harmonic_synth(f0, harmonic_amplitudes, n_samples):
    omega0 = 2 * math.pi * f0 / 16000
    return additive_synth(harmonic_amplitudes, harmonic_frequencies(omega0, harmonic_amplitudes.shape[1]), n_samples)
