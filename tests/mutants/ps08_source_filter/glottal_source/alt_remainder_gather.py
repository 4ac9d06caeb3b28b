# Valid: phase wrapped with torch.remainder after a float64 cumsum, both neighbours gathered with torch.where.
def glottal_source(f0_hz, n_samples, sample_rate, table):
    size = table.shape[-1]
    f0 = torch.as_tensor(f0_hz, dtype=torch.float64)
    f0 = f0.expand(n_samples) if f0.dim() == 0 else f0.to(torch.float64)
    steps = f0 / sample_rate
    phase = torch.remainder(torch.cat([steps.new_zeros(1), torch.cumsum(steps, 0)[:-1]]), 1.0)
    position = phase * size
    lower = position.floor().long()
    lower = torch.where(lower >= size, lower - size, lower)
    upper = torch.where(lower + 1 == size, torch.zeros_like(lower), lower + 1)
    w = (position - lower.to(torch.float64)).to(table.dtype)
    return torch.lerp(table[lower], table[upper], w)
