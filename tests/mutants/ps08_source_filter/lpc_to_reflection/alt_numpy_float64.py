# Valid: the step-down in numpy float64 (the result need not carry gradients), returned in a's dtype.
def lpc_to_reflection(a):
    cur = a.detach().cpu().numpy().astype(np.float64)
    p = len(cur)
    k = np.zeros(p)
    for m in range(p - 1, -1, -1):
        k[m] = cur[m]
        cur = (cur[:m] - k[m] * cur[:m][::-1]) / (1.0 - k[m] ** 2)
    return torch.tensor(k, dtype=a.dtype)
