# Wrong: the global maximum of the (unbiased) autocorrelation over the lag range: every multiple of the
# period is as good a match, so it often picks a subharmonic (an octave or more too low).
def estimate_f0(audio, sample_rate, frame_length, hop_length, fmin, fmax):
    x = audio.detach().double().numpy()
    n_frames = 1 + (x.shape[-1] - frame_length) // hop_length
    lo, hi = int(sample_rate // fmax), int(math.ceil(sample_rate / fmin))
    f0 = np.empty((x.shape[0], n_frames))
    for b in range(x.shape[0]):
        for i in range(n_frames):
            frame = x[b, i * hop_length:i * hop_length + frame_length]
            r = np.correlate(frame, frame, "full")[frame_length - 1:] / (frame_length - np.arange(frame_length))
            tau = lo + int(np.argmax(r[lo:hi + 1]))
            a, c, e = r[tau - 1], r[tau], r[tau + 1]
            shift = 0.5 * (a - e) / (a - 2 * c + e) if a - 2 * c + e < 0 else 0.0
            f0[b, i] = sample_rate / (tau + shift)
    return torch.from_numpy(f0).to(audio.dtype)
