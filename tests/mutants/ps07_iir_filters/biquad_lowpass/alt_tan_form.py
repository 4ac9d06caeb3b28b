# Alternative: the same design written as a bilinear transform with K = tan(w0 / 2).
def biquad_lowpass(cutoff_hz, q=1 / math.sqrt(2), sample_rate=16000):
    if not isinstance(cutoff_hz, torch.Tensor):
        cutoff_hz = torch.tensor(float(cutoff_hz))
    k = torch.tan(math.pi * cutoff_hz / sample_rate)
    norm = 1 / (1 + k / q + k * k)
    b0 = k * k * norm
    b = torch.stack([b0, 2 * b0, b0])
    a = torch.stack([torch.ones_like(b0), 2 * (k * k - 1) * norm, (1 - k / q + k * k) * norm])
    return b, a
