# Mistake: forgets the 2/pi factor: a_k = 1/k makes a ramp of the wrong height.
def sawtooth_amplitudes(n_harmonics, n_frames):
    k = torch.arange(1, n_harmonics + 1, dtype=torch.float32)
    return (1 / k).reshape(1, n_harmonics, 1).repeat(1, 1, n_frames)
