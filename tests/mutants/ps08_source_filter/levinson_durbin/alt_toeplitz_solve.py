# Valid: builds the Toeplitz matrix and solves it with torch.linalg.solve (batched); error = r[0] + a . r[1:].
def levinson_durbin(r, order):
    idx = torch.arange(order)
    lag = (idx[:, None] - idx[None, :]).abs()
    R = r[..., lag]                                   # (..., order, order)
    rhs = r[..., 1:order + 1]
    a = -torch.linalg.solve(R, rhs.unsqueeze(-1)).squeeze(-1)
    error = r[..., 0] + (a * rhs).sum(-1)
    return a, error
