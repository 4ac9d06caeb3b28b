# Valid: numpy float64, then a float32 tensor (no gradients are needed here).
def vibrato_f0(f0_hz, rate_hz, depth_hz, n_frames, frame_rate):
    track = f0_hz + depth_hz * np.sin(2 * np.pi * rate_hz * np.arange(n_frames) / frame_rate)
    return torch.tensor(track[None], dtype=torch.float32)
