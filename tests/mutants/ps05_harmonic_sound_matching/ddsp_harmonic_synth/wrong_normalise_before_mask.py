# Wrong: normalises the distribution before masking, so masked notes lose part of their amplitude.
def ddsp_harmonic_synth(f0, amplitude_logits, harmonic_logits, n_samples):
    amplitude = exp_sigmoid(amplitude_logits)
    frequencies = harmonic_frequencies(f0, harmonic_logits.shape[1])
    distribution = exp_sigmoid(harmonic_logits)
    distribution = distribution / distribution.sum(dim=1, keepdim=True).clamp_min(1e-7)
    distribution = remove_above_nyquist(distribution, frequencies)
    return additive_synth(distribution * amplitude[:, None, :], frequencies, n_samples)
