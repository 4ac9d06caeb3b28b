# Updates the coefficients in place inside the loop over i, so later terms read already-updated values.
def reflection_to_lpc(k):
    p = k.shape[-1]
    a = torch.zeros(p, dtype=k.dtype)
    for m in range(p):
        for i in range(m):
            a[i] = a[i] + k[m] * a[m - 1 - i]
        a[m] = k[m]
    return a
