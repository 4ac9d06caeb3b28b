# Mistake: DDSP's TensorFlow layout (batch, n_frames, K) instead of the course's (batch, K, n_frames).
def harmonic_frequencies(f0, n_harmonics):
    k = torch.arange(1, n_harmonics + 1, dtype=f0.dtype)
    return f0[:, :, None] * k[None, None, :]
