# The interpolation does not wrap: between the last entry and the end of the period it holds table[-1].
def glottal_source(f0_hz, n_samples, sample_rate, table):
    size = table.shape[-1]
    if isinstance(f0_hz, torch.Tensor):
        increment = f0_hz.to(torch.float64).expand(n_samples) / sample_rate
    else:
        increment = torch.full((n_samples,), float(f0_hz) / sample_rate, dtype=torch.float64)
    phase = torch.cumsum(increment, dim=0) - increment
    phase = phase - torch.floor(phase)
    position = phase * size
    index = torch.floor(position).long().clamp(max=size - 1)
    frac = (position - index).to(table.dtype)
    return table[index] * (1 - frac) + table[(index + 1).clamp(max=size - 1)] * frac
