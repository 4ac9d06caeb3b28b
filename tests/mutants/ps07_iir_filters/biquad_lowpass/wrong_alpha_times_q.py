# Wrong: alpha = sin(w0) * Q (Q confused with a bandwidth): equal to sin(w0) / (2Q) only at Q = 1/sqrt(2).
def biquad_lowpass(cutoff_hz, q=1 / math.sqrt(2), sample_rate=16000):
    dtype = cutoff_hz.dtype if isinstance(cutoff_hz, torch.Tensor) else torch.float32
    w0 = 2 * math.pi * torch.as_tensor(cutoff_hz, dtype=dtype) / sample_rate
    cos_w0 = torch.cos(w0)
    alpha = torch.sin(w0) * q
    a0 = 1 + alpha
    b = torch.stack([(1 - cos_w0) / 2, 1 - cos_w0, (1 - cos_w0) / 2]) / a0
    a = torch.stack([a0, -2 * cos_w0, 1 - alpha]) / a0
    return b, a
