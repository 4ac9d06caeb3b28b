# Filters with scipy.signal.lfilter on numpy data: right values for a shared filter, but no gradients.
def lpc_residual(signal, a):
    import scipy.signal
    b = np.concatenate([[1.0], a.detach().numpy().astype(np.float64)])
    e = scipy.signal.lfilter(b, [1.0], signal.detach().numpy().astype(np.float64), axis=-1)
    return torch.tensor(e, dtype=signal.dtype)
