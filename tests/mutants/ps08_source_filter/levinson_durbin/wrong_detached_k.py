# Takes each reflection coefficient out with .item(): the values are right, the gradients are not.
def levinson_durbin(r, order):
    error = r[..., 0]
    a = r[..., :0]
    for m in range(order):
        acc = r[..., m + 1] + (a * r[..., 1:m + 1].flip(-1)).sum(-1)
        k = torch.as_tensor(-acc / error).detach()
        a = torch.cat([a + k[..., None] * a.flip(-1), k[..., None]], dim=-1)
        error = error * (1 - k * k)
    return a, error
