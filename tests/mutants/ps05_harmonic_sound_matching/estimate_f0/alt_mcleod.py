# Alternative: the McLeod pitch method: normalised squared difference function n(tau) = 2 r(tau) / m(tau),
# the first peak (after the first zero crossing) within 90 % of the highest, parabolic refinement.
def estimate_f0(audio, sample_rate, frame_length, hop_length, fmin, fmax):
    x = audio.detach().double().numpy()
    n_frames = 1 + (x.shape[-1] - frame_length) // hop_length
    tau_max = min(int(math.ceil(sample_rate / fmin)), frame_length - 2)
    tau_min = max(1, int(sample_rate // fmax))
    out = np.empty((x.shape[0], n_frames))
    for b in range(x.shape[0]):
        for i in range(n_frames):
            frame = x[b, i * hop_length:i * hop_length + frame_length]
            spectrum = np.fft.rfft(frame, 2 * frame_length)
            r = np.fft.irfft(np.abs(spectrum) ** 2)[:tau_max + 2]
            energy = np.cumsum(frame[::-1] ** 2)[::-1]          # sum_{j>=t} x_j^2
            head = np.concatenate([[0.0], np.cumsum(frame ** 2)])  # sum_{j<t} x_j^2
            taus = np.arange(tau_max + 2)
            m = head[frame_length - taus] + energy[taus]
            nsdf = 2 * r / np.maximum(m, 1e-300)
            negative = np.flatnonzero(nsdf[1:] < 0)
            start = max(tau_min, 1 + (negative[0] if negative.size else 0))
            peaks = [t for t in range(start, tau_max + 1) if nsdf[t] >= nsdf[t - 1] and nsdf[t] > nsdf[t + 1]]
            if not peaks:
                peaks = [start + int(np.argmax(nsdf[start:tau_max + 1]))]
            best = max(nsdf[t] for t in peaks)
            tau = next(t for t in peaks if nsdf[t] >= 0.9 * best)
            a, c, e = nsdf[tau - 1], nsdf[tau], nsdf[tau + 1]
            shift = 0.5 * (a - e) / (a - 2 * c + e) if a - 2 * c + e < 0 else 0.0
            out[b, i] = sample_rate / (tau + shift)
    return torch.from_numpy(out).to(audio.dtype)
