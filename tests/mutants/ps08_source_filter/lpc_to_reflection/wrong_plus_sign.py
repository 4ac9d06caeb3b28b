# The step-down with the wrong sign: a_prev[i] = (a[i] + k a[m-1-i]) / (1 - k^2).
def lpc_to_reflection(a):
    ks = []
    for m in range(a.shape[-1] - 1, -1, -1):
        km = a[m]
        ks.append(km)
        head = a[:m]
        a = (head + km * head.flip(0)) / (1 - km * km)
    return torch.stack(ks[::-1])
