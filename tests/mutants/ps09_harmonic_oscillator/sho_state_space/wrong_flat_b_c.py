# Wrong: B and C as flat vectors of shape (2,) instead of (2, 1) and (1, 2).
def sho_state_space(k, m):
    k = torch.as_tensor(k)
    m = torch.as_tensor(m)
    dtype = torch.promote_types(k.dtype, m.dtype)
    if not dtype.is_floating_point:
        dtype = torch.float32
    k, m = k.to(dtype), m.to(dtype)
    zero = torch.zeros((), dtype=dtype)
    one = torch.ones((), dtype=dtype)
    A = torch.stack([torch.stack([zero, one]), torch.stack([-k / m, zero])])
    B = torch.stack([zero, 1 / m])
    C = torch.stack([one, zero])
    return A, B, C
