# Off by one in the delay: a_k multiplies s[n-k+1] instead of s[n-k].
def lpc_residual(signal, a):
    n = signal.shape[-1]
    e = signal
    for k in range(1, a.shape[-1] + 1):
        delayed = torch.nn.functional.pad(signal, (k - 1, 0))[..., :n]
        e = e + a[..., k - 1:k] * delayed
    return e
