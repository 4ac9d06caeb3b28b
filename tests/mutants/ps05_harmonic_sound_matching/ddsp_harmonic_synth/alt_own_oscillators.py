# Alternative: writes its own oscillator bank (upsampling with F.interpolate, exclusive phase by
# padding the cumulative sum) instead of calling additive_synth.
def ddsp_harmonic_synth(f0, amplitude_logits, harmonic_logits, n_samples):
    batch, n_harmonics, n_frames = harmonic_logits.shape
    k = torch.arange(1, n_harmonics + 1, dtype=f0.dtype).view(1, -1, 1)
    frequencies = f0.unsqueeze(1) * k
    distribution = remove_above_nyquist(exp_sigmoid(harmonic_logits), frequencies)
    distribution = distribution / distribution.sum(dim=1, keepdim=True).clamp_min(1e-7)
    partials = distribution * exp_sigmoid(amplitude_logits).unsqueeze(1)

    def up(control):
        return F.interpolate(control, size=n_samples, mode="linear", align_corners=False)

    omega = up(frequencies)
    phase = F.pad(torch.cumsum(omega, dim=-1)[..., :-1], (1, 0))
    return torch.sum(up(partials) * torch.sin(phase), dim=1)
