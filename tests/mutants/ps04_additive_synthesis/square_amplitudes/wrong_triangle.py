# Mistake: 8/(pi^2 k^2) on odd k is the (cosine-phase) triangle wave's series, not the square's.
def square_amplitudes(n_harmonics, n_frames):
    k = torch.arange(1, n_harmonics + 1, dtype=torch.float32)
    a = torch.where(k % 2 == 1, 8 / (math.pi * k) ** 2, torch.zeros_like(k))
    return a.reshape(1, n_harmonics, 1).repeat(1, 1, n_frames)
