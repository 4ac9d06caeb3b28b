# Wrong: computes the spectra with numpy and converts back: right values, but the graph is cut.
def iir_frequency_sampling(x, a):
    n = x.shape[-1]
    if a.shape[-1] + 1 > n:
        raise ValueError("the denominator does not fit in the signal")
    denominator = np.concatenate([[1.0], a.detach().numpy()])
    y = np.fft.irfft(np.fft.rfft(x.detach().numpy(), axis=-1) / np.fft.rfft(denominator, n=n), n=n, axis=-1)
    return torch.from_numpy(y).to(x.dtype)
