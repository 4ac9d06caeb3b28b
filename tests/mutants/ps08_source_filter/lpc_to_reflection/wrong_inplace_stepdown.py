# Steps down in place, element by element, so the second half reads already-updated coefficients.
def lpc_to_reflection(a):
    a = a.clone()
    p = a.shape[-1]
    k = torch.zeros(p, dtype=a.dtype)
    for m in range(p - 1, -1, -1):
        k[m] = a[m]
        for i in range(m):
            a[i] = (a[i] - k[m] * a[m - 1 - i]) / (1 - k[m] ** 2)
    return k
