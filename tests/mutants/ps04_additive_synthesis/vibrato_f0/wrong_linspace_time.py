# Mistake: torch.linspace(0, duration, n_frames) includes the end point, so frames are not 1/frame_rate apart.
def vibrato_f0(f0_hz, rate_hz, depth_hz, n_frames, frame_rate):
    t = torch.linspace(0, n_frames / frame_rate, n_frames)
    return (f0_hz + depth_hz * torch.sin(2 * math.pi * rate_hz * t))[None]
