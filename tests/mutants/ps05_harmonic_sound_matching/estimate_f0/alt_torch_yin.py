# Alternative: YIN in torch (unfold for the frames), threshold 0.15, parabolic refinement of the
# normalised difference function itself.
def estimate_f0(audio, sample_rate, frame_length, hop_length, fmin, fmax):
    with torch.no_grad():
        x = audio.to(torch.float64)
        frames = x.unfold(-1, frame_length, hop_length)  # (batch, n_frames, frame_length)
        tau_min = max(2, int(sample_rate // fmax))
        tau_max = min(int(math.ceil(sample_rate / fmin)), frame_length // 2)
        width = frame_length - tau_max - 1
        d = torch.stack([((frames[..., :width] - frames[..., t:t + width]) ** 2).sum(-1)
                         for t in range(tau_max + 2)], dim=-1)
        taus = torch.arange(1, tau_max + 2, dtype=torch.float64)
        cmnd = torch.cat([torch.ones_like(d[..., :1]),
                          d[..., 1:] * taus / torch.cumsum(d[..., 1:], -1).clamp_min(1e-300)], dim=-1)
        result = torch.empty(frames.shape[:2], dtype=torch.float64)
        for b in range(frames.shape[0]):
            for i in range(frames.shape[1]):
                c = cmnd[b, i]
                candidates = torch.nonzero(c[tau_min:tau_max + 1] < 0.15).flatten()
                if len(candidates):
                    t = tau_min + int(candidates[0])
                    while t < tau_max and c[t + 1] < c[t]:
                        t += 1
                else:
                    t = tau_min + int(torch.argmin(c[tau_min:tau_max + 1]))
                a, m, e = float(c[t - 1]), float(c[t]), float(c[t + 1])
                shift = 0.5 * (a - e) / (a - 2 * m + e) if a - 2 * m + e > 0 else 0.0
                result[b, i] = sample_rate / (t + shift)
    return result.to(audio.dtype)
