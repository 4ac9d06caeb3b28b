# Mistake: counts frames from 1, so the track starts one frame into the vibrato.
def vibrato_f0(f0_hz, rate_hz, depth_hz, n_frames, frame_rate):
    n = torch.arange(1, n_frames + 1, dtype=torch.float32)
    return (f0_hz + depth_hz * torch.sin(2 * math.pi * rate_hz * n / frame_rate))[None]
