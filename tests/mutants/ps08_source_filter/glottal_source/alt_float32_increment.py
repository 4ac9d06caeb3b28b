# Valid: the per-sample increment f0 / sample_rate computed in f0's own dtype (float32 for a float32 tensor), then accumulated in float64.
def glottal_source(f0_hz, n_samples, sample_rate, table):
    size = table.shape[-1]
    if not isinstance(f0_hz, torch.Tensor):
        f0_hz = torch.tensor(float(f0_hz), dtype=torch.float64)
    increment = (f0_hz.expand(n_samples) / sample_rate).to(torch.float64)
    phase = torch.cumsum(increment, dim=0) - increment
    phase = torch.frac(phase)
    position = phase * size
    index = position.long() % size
    frac = (position - index).to(table.dtype)
    return table[index] + frac * (table[(index + 1) % size] - table[index])
