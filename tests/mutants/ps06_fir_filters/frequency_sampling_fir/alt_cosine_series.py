# Alternative: the zero-phase IR written as its cosine series, the shift and the periodic Hann as explicit formulas.
def frequency_sampling_fir(magnitudes):
    n_bins = magnitudes.shape[-1]
    length = 2 * (n_bins - 1)
    m = torch.arange(length, dtype=magnitudes.dtype) - length // 2          # shifted time index
    k = torch.arange(n_bins, dtype=magnitudes.dtype)
    weights = torch.full((n_bins,), 2.0, dtype=magnitudes.dtype)
    weights[0] = 1.0
    weights[-1] = 1.0
    basis = weights[:, None] * torch.cos(2 * math.pi * k[:, None] * m[None, :] / length) / length  # (M, L)
    h = magnitudes @ basis
    window = 0.5 - 0.5 * torch.cos(2 * math.pi * torch.arange(length, dtype=magnitudes.dtype) / length)
    return h * window
