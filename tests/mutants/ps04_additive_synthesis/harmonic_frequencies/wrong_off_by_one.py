# Mistake: torch.arange(1, K) stops before K, so one harmonic is missing.
def harmonic_frequencies(f0, n_harmonics):
    k = torch.arange(1, n_harmonics, dtype=f0.dtype)
    return f0[:, None, :] * k[None, :, None]
