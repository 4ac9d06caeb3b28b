# Mistake: treats rate_hz as radians per second (no 2 pi), so the vibrato is 2 pi times too slow.
def vibrato_f0(f0_hz, rate_hz, depth_hz, n_frames, frame_rate):
    n = torch.arange(n_frames, dtype=torch.float32)
    return (f0_hz + depth_hz * torch.sin(rate_hz * n / frame_rate))[None]
