# Valid: interpolates a float64 copy of the table (padded with its first entry) and casts the result back.
def glottal_source(f0_hz, n_samples, sample_rate, table):
    size = table.shape[-1]
    if isinstance(f0_hz, torch.Tensor):
        f0 = f0_hz.double() * torch.ones(n_samples, dtype=torch.float64)
    else:
        f0 = torch.full((n_samples,), float(f0_hz), dtype=torch.float64)
    phase = torch.zeros(n_samples, dtype=torch.float64)
    phase[1:] = torch.cumsum(f0[:-1] / sample_rate, 0)
    phase = torch.frac(phase)
    extended = torch.cat([table, table[:1]]).to(torch.float64)
    position = phase * size
    i = position.long()
    t = position - i
    return (extended[i] + t * (extended[i + 1] - extended[i])).to(table.dtype)
