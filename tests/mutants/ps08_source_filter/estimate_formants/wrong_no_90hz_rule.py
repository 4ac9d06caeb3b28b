# Forgets the 90 Hz rule: low-frequency roots (hum, the glottal tilt without pre-emphasis) count as formants.
def estimate_formants(frame, sample_rate, order, n_formants=3):
    a = lpc(frame, order).detach().to(torch.float64).cpu().numpy()
    roots = np.roots(np.concatenate([[1.0], a]))
    roots = roots[roots.imag > 0]
    frequency = np.angle(roots) * sample_rate / (2 * np.pi)
    bandwidth = -(sample_rate / np.pi) * np.log(np.abs(roots))
    kept = np.sort(frequency[bandwidth < 400.0])[:n_formants]
    out = np.full(n_formants, np.nan)
    out[:len(kept)] = kept
    return torch.tensor(out, dtype=frame.dtype)
