# Wrong: computes with math.cos/math.sin on float(cutoff): right values, but no gradient reaches the cutoff.
def biquad_lowpass(cutoff_hz, q=1 / math.sqrt(2), sample_rate=16000):
    dtype = cutoff_hz.dtype if isinstance(cutoff_hz, torch.Tensor) else torch.float32
    w0 = 2 * math.pi * float(cutoff_hz) / sample_rate
    alpha = math.sin(w0) / (2 * q)
    a0 = 1 + alpha
    b = torch.tensor([(1 - math.cos(w0)) / 2, 1 - math.cos(w0), (1 - math.cos(w0)) / 2], dtype=dtype) / a0
    a = torch.tensor([1.0, -2 * math.cos(w0) / a0, (1 - alpha) / a0], dtype=dtype)
    return b, a
