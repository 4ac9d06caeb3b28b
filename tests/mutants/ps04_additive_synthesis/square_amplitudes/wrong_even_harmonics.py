# Mistake: tests the parity of the 1-based harmonic number the wrong way round: keeps even k, drops odd k.
def square_amplitudes(n_harmonics, n_frames):
    k = torch.arange(1, n_harmonics + 1, dtype=torch.float32)
    a = torch.where(k % 2 == 0, 4 / (math.pi * k), torch.zeros_like(k))
    return a.reshape(1, n_harmonics, 1).repeat(1, 1, n_frames)
