# Mistake: reads depth as the peak-to-peak swing and halves it.
def vibrato_f0(f0_hz, rate_hz, depth_hz, n_frames, frame_rate):
    n = torch.arange(n_frames, dtype=torch.float32)
    return (f0_hz + depth_hz / 2 * torch.sin(2 * math.pi * rate_hz * n / frame_rate))[None]
