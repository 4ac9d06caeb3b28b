# Valid: a textbook loop over Python lists of 0-dim tensors, computed in float64 and cast back.
def levinson_durbin(r, order):
    dtype = r.dtype
    r64 = r.to(torch.float64)
    batch = r64.shape[:-1]
    flat = r64.reshape(-1, r64.shape[-1])
    out_a, out_e = [], []
    for row in flat:
        a = []
        err = row[0]
        for m in range(order):
            acc = row[m + 1]
            for i in range(m):
                acc = acc + a[i] * row[m - i]
            k = -acc / err
            a = [a[i] + k * a[m - 1 - i] for i in range(m)] + [k]
            err = err * (1 - k ** 2)
        out_a.append(torch.stack(a))
        out_e.append(err)
    a = torch.stack(out_a).reshape(*batch, order).to(dtype)
    error = torch.stack(out_e).reshape(batch).to(dtype)
    return a, error
