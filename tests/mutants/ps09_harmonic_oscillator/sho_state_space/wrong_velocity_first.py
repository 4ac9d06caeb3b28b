# Wrong: state ordered [velocity, position] instead of [position, velocity].
def sho_state_space(k, m):
    k = torch.as_tensor(k)
    m = torch.as_tensor(m)
    dtype = torch.promote_types(k.dtype, m.dtype)
    if not dtype.is_floating_point:
        dtype = torch.float32
    k, m = k.to(dtype), m.to(dtype)
    zero = torch.zeros((), dtype=dtype)
    one = torch.ones((), dtype=dtype)
    A = torch.stack([torch.stack([zero, -k / m]), torch.stack([one, zero])])
    B = torch.stack([1 / m, zero]).reshape(2, 1)
    C = torch.stack([zero, one]).reshape(1, 2)
    return A, B, C
