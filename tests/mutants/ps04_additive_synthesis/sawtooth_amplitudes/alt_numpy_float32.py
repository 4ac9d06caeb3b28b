# Valid: computed in numpy float64, converted to a float32 tensor, broadcast with expand.
def sawtooth_amplitudes(n_harmonics, n_frames):
    a = 2 / (np.pi * np.arange(1, n_harmonics + 1))
    return torch.tensor(a, dtype=torch.float32)[None, :, None].expand(1, n_harmonics, n_frames)
