# Returns the normalised prediction error prod(1 - k^2) instead of r[0] * prod(1 - k^2).
def levinson_durbin(r, order):
    error = r[..., 0]
    a = r[..., :0]
    for m in range(order):
        acc = r[..., m + 1] + (a * r[..., 1:m + 1].flip(-1)).sum(-1)
        k = -acc / error
        a = torch.cat([a + k[..., None] * a.flip(-1), k[..., None]], dim=-1)
        error = error * (1 - k * k)
    return a, error / r[..., 0]
