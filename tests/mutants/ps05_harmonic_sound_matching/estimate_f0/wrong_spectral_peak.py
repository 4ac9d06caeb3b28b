# Wrong: takes the strongest spectral peak between fmin and fmax (zero-padded FFT, parabolic refinement):
# an octave too high whenever the second harmonic is stronger than the fundamental.
def estimate_f0(audio, sample_rate, frame_length, hop_length, fmin, fmax):
    x = audio.detach().double().numpy()
    n_frames = 1 + (x.shape[-1] - frame_length) // hop_length
    n_fft = 8 * frame_length
    freqs = np.fft.rfftfreq(n_fft, 1 / sample_rate)
    band = np.flatnonzero((freqs >= fmin) & (freqs <= fmax))
    f0 = np.empty((x.shape[0], n_frames))
    for b in range(x.shape[0]):
        for i in range(n_frames):
            frame = x[b, i * hop_length:i * hop_length + frame_length] * np.hanning(frame_length)
            spectrum = np.log(np.abs(np.fft.rfft(frame, n_fft)) + 1e-12)
            k = band[np.argmax(spectrum[band])]
            a, c, e = spectrum[k - 1], spectrum[k], spectrum[k + 1]
            shift = 0.5 * (a - e) / (a - 2 * c + e) if a - 2 * c + e < 0 else 0.0
            f0[b, i] = (k + shift) * sample_rate / n_fft
    return torch.from_numpy(f0).to(audio.dtype)
