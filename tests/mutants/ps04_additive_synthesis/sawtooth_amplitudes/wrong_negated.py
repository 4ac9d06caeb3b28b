# Mistake: negates the amplitudes to get scipy's rising ramp: amplitudes must be positive (the falling ramp).
def sawtooth_amplitudes(n_harmonics, n_frames):
    k = torch.arange(1, n_harmonics + 1, dtype=torch.float32)
    return (-2 / (math.pi * k)).reshape(1, n_harmonics, 1).repeat(1, 1, n_frames)
