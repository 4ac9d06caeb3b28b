# Wrong: centres the frames like torch.stft (reflect padding, 1 + n // hop frames) instead of frame i
# covering [i*hop, i*hop + frame_length).
def estimate_f0(audio, sample_rate, frame_length, hop_length, fmin, fmax):
    x = np.pad(audio.detach().double().numpy(), ((0, 0), (frame_length // 2, frame_length // 2)), mode="reflect")
    n_frames = 1 + audio.shape[-1] // hop_length
    starts = np.arange(n_frames) * hop_length
    frames = x[:, starts[:, None] + np.arange(frame_length)[None, :]]
    tau_min = max(2, int(sample_rate // fmax))
    tau_max = min(int(math.ceil(sample_rate / fmin)), frame_length // 2)
    width = frame_length - tau_max - 1
    d = np.stack([np.sum((frames[..., :width] - frames[..., tau:tau + width]) ** 2, axis=-1)
                  for tau in range(tau_max + 2)], axis=-1)
    cmnd = np.ones_like(d)
    cmnd[..., 1:] = d[..., 1:] / np.maximum(np.cumsum(d[..., 1:], axis=-1) / np.arange(1, tau_max + 2), 1e-300)
    f0 = np.empty(frames.shape[:2])
    for index in np.ndindex(*f0.shape):
        c = cmnd[index]
        below = np.flatnonzero(c[tau_min:tau_max + 1] < 0.1)
        if below.size:
            tau = tau_min + below[0]
            while tau < tau_max and c[tau + 1] < c[tau]:
                tau += 1
        else:
            tau = tau_min + int(np.argmin(c[tau_min:tau_max + 1]))
        a, m, e = d[index][tau - 1:tau + 2]
        shift = 0.5 * (a - e) / (a - 2 * m + e) if a - 2 * m + e > 0 else 0.0
        f0[index] = sample_rate / (tau + shift)
    return torch.from_numpy(f0).to(audio.dtype)
