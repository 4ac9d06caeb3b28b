# Alternative: computes in float64 (also for a float32 cutoff tensor) and casts back, differentiably.
def biquad_lowpass(cutoff_hz, q=1 / math.sqrt(2), sample_rate=16000):
    out_dtype = cutoff_hz.dtype if torch.is_tensor(cutoff_hz) else torch.float32
    f = cutoff_hz.double() if torch.is_tensor(cutoff_hz) else torch.tensor(cutoff_hz, dtype=torch.float64)
    w0 = 2 * torch.pi * f / sample_rate
    c, s = torch.cos(w0), torch.sin(w0)
    alpha = s / (2 * q)
    one_minus_c = 2 * torch.sin(w0 / 2) ** 2  # = 1 - cos(w0), without cancellation
    b = torch.stack([one_minus_c / 2, one_minus_c, one_minus_c / 2]) / (1 + alpha)
    a = torch.stack([(1 + alpha) / (1 + alpha), -2 * c / (1 + alpha), (1 - alpha) / (1 + alpha)])
    return b.to(out_dtype), a.to(out_dtype)
