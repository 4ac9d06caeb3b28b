# Alternative: zeros of the right dtype, entries written in place (autograd records the copies).
def sho_state_space(k, m):
    dtype = torch.float32
    for value in (k, m):
        if isinstance(value, torch.Tensor) and value.is_floating_point():
            dtype = torch.promote_types(dtype, value.dtype)
    A = torch.zeros(2, 2, dtype=dtype)
    B = torch.zeros(2, 1, dtype=dtype)
    C = torch.zeros(1, 2, dtype=dtype)
    A[0, 1] = 1.0
    A[1, 0] = -k / m
    B[1, 0] = 1.0 / m
    C[0, 0] = 1.0
    return A, B, C
