# Returns the reflection coefficients in the order they were found (k[p-1] first).
def lpc_to_reflection(a):
    ks = []
    for m in range(a.shape[-1] - 1, -1, -1):
        km = a[m]
        ks.append(km)
        head = a[:m]
        a = (head - km * head.flip(0)) / (1 - km * km)
    return torch.stack(ks)
