# Mistake: puts the i-th odd harmonic in slot i (k = 1, 3, 5 at indices 0, 1, 2) instead of leaving zeros in place.
def square_amplitudes(n_harmonics, n_frames):
    k = 2 * torch.arange(n_harmonics, dtype=torch.float32) + 1
    return (4 / (math.pi * k)).reshape(1, n_harmonics, 1).repeat(1, 1, n_frames)
