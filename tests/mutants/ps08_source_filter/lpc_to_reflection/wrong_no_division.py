# Forgets the division by 1 - k^2 in the step-down.
def lpc_to_reflection(a):
    ks = []
    for m in range(a.shape[-1] - 1, -1, -1):
        km = a[m]
        ks.append(km)
        head = a[:m]
        a = head - km * head.flip(0)
    return torch.stack(ks[::-1])
