# Computes with Python floats and rebuilds a tensor at the end: right values, but the graph is cut.
def reflection_to_lpc(k):
    ks = [float(v) for v in k]
    a = []
    for m in range(len(ks)):
        a = [a[i] + ks[m] * a[m - 1 - i] for i in range(m)] + [ks[m]]
    return torch.tensor(a, dtype=k.dtype)
