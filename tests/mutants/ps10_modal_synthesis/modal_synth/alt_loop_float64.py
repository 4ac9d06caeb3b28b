# Loops over the modes, accumulating in float64, and casts the sum back to the controls' dtype.
def modal_synth(freqs_hz, decays, amplitudes, n_samples, sample_rate=16000):
    dtype = freqs_hz.dtype
    f, d, a = (x.double() for x in torch.broadcast_tensors(freqs_hz, decays, amplitudes))
    t = torch.arange(n_samples, dtype=torch.float64) / sample_rate
    y = torch.zeros(f.shape[:-1] + (n_samples,), dtype=torch.float64)
    for k in range(f.shape[-1]):
        fk, dk, ak = f[..., k:k + 1], d[..., k:k + 1], a[..., k:k + 1]
        y = y + ak * torch.exp(-dk * t) * torch.sin(2 * math.pi * fk * t)
    return y.to(dtype)
