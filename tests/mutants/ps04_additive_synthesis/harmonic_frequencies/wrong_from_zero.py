# Mistake: harmonic numbers 0..K-1 (torch.arange(K)), so the first "harmonic" is DC.
def harmonic_frequencies(f0, n_harmonics):
    k = torch.arange(n_harmonics, dtype=f0.dtype)
    return f0[:, None, :] * k[None, :, None]
