# Mistake: masks harmonics above Nyquist here (ps05's job), so aliasing partials disappear.
def harmonic_synth(f0, harmonic_amplitudes, n_samples):
    freqs = harmonic_frequencies(f0, harmonic_amplitudes.shape[1])
    amps = harmonic_amplitudes * (freqs < math.pi)
    return additive_synth(amps, freqs, n_samples)
