# Reads the nearest table entry (no linear interpolation).
def glottal_source(f0_hz, n_samples, sample_rate, table):
    size = table.shape[-1]
    if isinstance(f0_hz, torch.Tensor):
        increment = f0_hz.to(torch.float64).expand(n_samples) / sample_rate
    else:
        increment = torch.full((n_samples,), float(f0_hz) / sample_rate, dtype=torch.float64)
    phase = torch.cumsum(increment, dim=0) - increment
    phase = phase - torch.floor(phase)
    index = torch.round(phase * size).long() % size
    return table[index]
