# Wrong: YIN without sub-sample refinement: whole-sample lags are up to several percent off at high f0.
def estimate_f0(audio, sample_rate, frame_length, hop_length, fmin, fmax):
    x = audio.detach().cpu().double().numpy()
    n_frames = 1 + (x.shape[-1] - frame_length) // hop_length
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
        f0[index] = sample_rate / tau
    return torch.from_numpy(f0).to(audio.dtype)
