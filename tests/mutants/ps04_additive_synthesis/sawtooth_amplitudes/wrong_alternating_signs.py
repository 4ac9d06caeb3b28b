# Mistake: the textbook series with alternating signs, (-1)^(k+1) 2/(pi k): a ramp shifted by half a period.
def sawtooth_amplitudes(n_harmonics, n_frames):
    k = torch.arange(1, n_harmonics + 1, dtype=torch.float32)
    a = (-1.0) ** (k + 1) * 2 / (math.pi * k)
    return a.reshape(1, n_harmonics, 1).repeat(1, 1, n_frames)
