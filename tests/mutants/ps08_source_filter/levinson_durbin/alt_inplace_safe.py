# Valid: preallocated coefficients updated with slice assignments whose right-hand sides are computed first.
def levinson_durbin(r, order):
    a = torch.zeros(*r.shape[:-1], order, dtype=r.dtype)
    error = r[..., 0].clone()
    for m in range(order):
        acc = r[..., m + 1] + (a[..., :m] * r[..., 1:m + 1].flip(-1)).sum(-1)
        k = -acc / error
        new = a[..., :m] + k[..., None] * a[..., :m].flip(-1)
        a = a.clone()
        a[..., :m] = new
        a[..., m] = k
        error = error * (1 - k * k)
    return a, error
