# Valid: the whole analysis in numpy/scipy float64 (autocorrelation, Toeplitz solve, np.roots), cast at the end.
def estimate_formants(frame, sample_rate, order, n_formants=3):
    import scipy.linalg
    x = frame.detach().cpu().numpy().astype(np.float64)
    r = np.array([np.dot(x[:len(x) - k], x[k:]) for k in range(order + 1)])
    a = -scipy.linalg.solve_toeplitz(r[:order], r[1:])
    z = np.roots(np.r_[1.0, a])
    z = z[np.imag(z) > 0]
    f = np.angle(z) / (2 * np.pi) * sample_rate
    bw = -np.log(np.abs(z)) * sample_rate / np.pi
    f = sorted(f[(f > 90) & (bw < 400)])
    f = (f + [float("nan")] * n_formants)[:n_formants]
    return torch.tensor(f, dtype=frame.dtype)
