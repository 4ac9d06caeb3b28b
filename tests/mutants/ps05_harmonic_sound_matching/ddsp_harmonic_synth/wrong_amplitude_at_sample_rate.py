# Wrong: synthesises the distribution alone and multiplies by the upsampled amplitude at the sample
# rate, instead of forming the products dist * amp at frame rate before upsampling.
def ddsp_harmonic_synth(f0, amplitude_logits, harmonic_logits, n_samples):
    amplitude = exp_sigmoid(amplitude_logits)
    frequencies = harmonic_frequencies(f0, harmonic_logits.shape[1])
    distribution = remove_above_nyquist(exp_sigmoid(harmonic_logits), frequencies)
    distribution = distribution / distribution.sum(dim=1, keepdim=True).clamp_min(1e-7)
    return additive_synth(distribution, frequencies, n_samples) * upsample(amplitude, n_samples)
