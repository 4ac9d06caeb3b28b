# Wrong: returns the cookbook's raw coefficients without dividing by a0, so a[0] = 1 + alpha.
def biquad_lowpass(cutoff_hz, q=1 / math.sqrt(2), sample_rate=16000):
    dtype = cutoff_hz.dtype if isinstance(cutoff_hz, torch.Tensor) else torch.float32
    w0 = 2 * math.pi * torch.as_tensor(cutoff_hz, dtype=dtype) / sample_rate
    cos_w0 = torch.cos(w0)
    alpha = torch.sin(w0) / (2 * q)
    b = torch.stack([(1 - cos_w0) / 2, 1 - cos_w0, (1 - cos_w0) / 2])
    a = torch.stack([1 + alpha, -2 * cos_w0, 1 - alpha])
    return b, a
