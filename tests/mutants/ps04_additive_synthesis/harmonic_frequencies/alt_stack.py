# Valid: a Python loop over harmonic numbers, stacked along dimension 1.
def harmonic_frequencies(f0, n_harmonics):
    return torch.stack([k * f0 for k in range(1, n_harmonics + 1)], dim=1)
