# Valid: everything in float32, time in seconds first.
def vibrato_f0(f0_hz, rate_hz, depth_hz, n_frames, frame_rate):
    t = torch.arange(n_frames, dtype=torch.float32) / frame_rate
    return f0_hz + depth_hz * torch.sin(2 * math.pi * rate_hz * t).unsqueeze(0)
