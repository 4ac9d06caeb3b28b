# Alternative: the whole synthesis in float64 (masking by multiplication, torch.maximum for the clamp),
# cast back to the input's dtype at the end.
def ddsp_harmonic_synth(f0, amplitude_logits, harmonic_logits, n_samples):
    dtype = f0.dtype
    f0, amplitude_logits, harmonic_logits = f0.double(), amplitude_logits.double(), harmonic_logits.double()
    n_harmonics = harmonic_logits.shape[1]
    frequencies = harmonic_frequencies(f0, n_harmonics)
    weights = exp_sigmoid(harmonic_logits) * (frequencies < math.pi).double()
    total = torch.maximum(weights.sum(dim=1, keepdim=True), torch.tensor(1e-7, dtype=torch.float64))
    partial_amplitudes = weights / total * exp_sigmoid(amplitude_logits).unsqueeze(1)
    return additive_synth(partial_amplitudes, frequencies, n_samples).to(dtype)
