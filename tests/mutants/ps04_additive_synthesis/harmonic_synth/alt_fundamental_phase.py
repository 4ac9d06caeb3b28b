# Valid: integrate the fundamental once, then harmonic k's phase is k times it (upsampling is linear).
def harmonic_synth(f0, harmonic_amplitudes, n_samples):
    n_harmonics = harmonic_amplitudes.shape[1]
    omega0 = upsample(f0, n_samples)
    phase0 = F.pad(torch.cumsum(omega0, dim=-1)[..., :-1], (1, 0))
    k = torch.arange(1, n_harmonics + 1, dtype=f0.dtype)
    amps = upsample(harmonic_amplitudes, n_samples)
    return (amps * torch.sin(k[None, :, None] * phase0[:, None, :])).sum(dim=1)
