# Valid: a_k = 2 (1 - (-1)^k) / (pi k), which is 4/(pi k) for odd k and exactly 0 for even k.
def square_amplitudes(n_harmonics, n_frames):
    out = torch.zeros(1, n_harmonics, n_frames)
    for i in range(n_harmonics):
        k = i + 1
        out[0, i, :] = 2 * (1 - (-1) ** k) / (math.pi * k)
    return out
