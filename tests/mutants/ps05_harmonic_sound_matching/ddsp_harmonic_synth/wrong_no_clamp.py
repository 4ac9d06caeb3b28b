# Wrong: divides by the plain sum, so a frame whose harmonics are all above Nyquist gives 0/0 = NaN.
def ddsp_harmonic_synth(f0, amplitude_logits, harmonic_logits, n_samples):
    amplitude = exp_sigmoid(amplitude_logits)
    frequencies = harmonic_frequencies(f0, harmonic_logits.shape[1])
    distribution = remove_above_nyquist(exp_sigmoid(harmonic_logits), frequencies)
    distribution = distribution / distribution.sum(dim=1, keepdim=True)
    return additive_synth(distribution * amplitude[:, None, :], frequencies, n_samples)
