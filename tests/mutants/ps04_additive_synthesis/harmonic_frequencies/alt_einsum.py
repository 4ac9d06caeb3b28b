# Valid: an outer product with einsum (float32 harmonic numbers promote to f0's dtype).
def harmonic_frequencies(f0, n_harmonics):
    k = torch.arange(1, n_harmonics + 1).to(f0.dtype)
    return torch.einsum("bf,k->bkf", f0, k)
