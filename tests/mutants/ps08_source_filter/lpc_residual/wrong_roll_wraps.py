# Delays with torch.roll, which wraps the end of the signal into the start: no zero initial conditions.
def lpc_residual(signal, a):
    e = signal
    for k in range(1, a.shape[-1] + 1):
        e = e + a[..., k - 1:k] * torch.roll(signal, k, dims=-1)
    return e
