# Alternative: a list of past outputs indexed directly, with an inner loop over the coefficients.
def allpole_direct(x, a):
    outputs = []
    for n in range(x.shape[-1]):
        acc = x[..., n]
        for k in range(1, a.shape[0] + 1):
            if n - k >= 0:
                acc = acc - a[k - 1] * outputs[n - k]
        outputs.append(acc)
    return torch.stack(outputs, dim=-1)
