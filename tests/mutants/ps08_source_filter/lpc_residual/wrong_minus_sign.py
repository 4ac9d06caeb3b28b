# Uses the prediction-filter sign: e[n] = s[n] - sum_k a_k s[n-k] (A(z) = 1 - sum a_k z^-k).
def lpc_residual(signal, a):
    n = signal.shape[-1]
    e = signal
    for k in range(1, a.shape[-1] + 1):
        delayed = torch.nn.functional.pad(signal, (k, 0))[..., :n]
        e = e - a[..., k - 1:k] * delayed
    return e
