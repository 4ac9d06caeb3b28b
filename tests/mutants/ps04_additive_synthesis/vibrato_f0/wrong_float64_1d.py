# Mistake: returns numpy's float64 result as a 1-D tensor (the spec asks for float32, (1, n_frames)).
def vibrato_f0(f0_hz, rate_hz, depth_hz, n_frames, frame_rate):
    n = np.arange(n_frames)
    return torch.from_numpy(f0_hz + depth_hz * np.sin(2 * np.pi * rate_hz * n / frame_rate))
