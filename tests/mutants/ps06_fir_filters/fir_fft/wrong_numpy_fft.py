# Wrong: numpy FFTs on detached data: the values are right, but the graph is cut and no gradient reaches x or h.
def fir_fft(x, h):
    n, length = x.shape[-1], h.shape[-1]
    n_fft = n + length - 1
    xs, hs = x.detach().numpy(), h.detach().numpy()
    y = np.fft.irfft(np.fft.rfft(xs, n=n_fft) * np.fft.rfft(hs, n=n_fft), n=n_fft)[..., :n]
    return torch.from_numpy(y).to(x.dtype)
