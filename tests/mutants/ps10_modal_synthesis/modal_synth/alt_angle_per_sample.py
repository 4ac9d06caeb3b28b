# Works per sample: theta = 2 pi f / fs and r = exp(-d / fs), then theta * n and r ** n (other op order).
def modal_synth(freqs_hz, decays, amplitudes, n_samples, sample_rate=16000):
    f, d, a = torch.broadcast_tensors(freqs_hz, decays, amplitudes)
    n = torch.arange(n_samples, dtype=f.dtype)
    theta = (2 * math.pi / sample_rate) * f
    y = a.unsqueeze(-1) * torch.exp(-(d / sample_rate).unsqueeze(-1) * n) * torch.sin(theta.unsqueeze(-1) * n)
    return y.sum(-2)
