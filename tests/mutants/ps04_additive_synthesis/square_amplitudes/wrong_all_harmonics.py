# Mistake: 4/(pi k) on every harmonic, even ones included.
def square_amplitudes(n_harmonics, n_frames):
    k = torch.arange(1, n_harmonics + 1, dtype=torch.float32)
    return (4 / (math.pi * k)).reshape(1, n_harmonics, 1).repeat(1, 1, n_frames)
