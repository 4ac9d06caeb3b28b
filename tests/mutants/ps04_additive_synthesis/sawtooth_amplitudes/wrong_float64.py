# Mistake: built in numpy float64 and returned as float64 (the spec asks for float32).
def sawtooth_amplitudes(n_harmonics, n_frames):
    k = np.arange(1, n_harmonics + 1)
    a = np.tile((2 / (np.pi * k))[None, :, None], (1, 1, n_frames))
    return torch.from_numpy(a)
