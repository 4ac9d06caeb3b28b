# Wrong: calls scipy on numpy copies and wraps the results: right values, but no gradients.
def bilinear_discretize(A, B, C, D, dt):
    import scipy.signal
    mats = [M.detach().cpu().numpy() for M in (A, B, C, D)]
    out = scipy.signal.cont2discrete(tuple(mats), float(dt), method="bilinear")[:4]
    return tuple(torch.as_tensor(M, dtype=A.dtype) for M in out)
