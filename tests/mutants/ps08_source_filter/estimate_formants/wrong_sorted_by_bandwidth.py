# Orders the surviving roots by bandwidth (sharpest first) instead of by frequency.
def estimate_formants(frame, sample_rate, order, n_formants=3):
    a = lpc(frame, order).detach().to(torch.float64).cpu().numpy()
    roots = np.roots(np.concatenate([[1.0], a]))
    roots = roots[roots.imag > 0]
    frequency = np.angle(roots) * sample_rate / (2 * np.pi)
    bandwidth = -(sample_rate / np.pi) * np.log(np.abs(roots))
    keep = (bandwidth < 400.0) & (frequency > 90.0)
    kept = frequency[keep][np.argsort(bandwidth[keep])][:n_formants]
    out = np.full(n_formants, np.nan)
    out[:len(kept)] = kept
    return torch.tensor(out, dtype=frame.dtype)
