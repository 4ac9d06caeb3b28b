# Alternative: omega0^2 and 1/m first, matrices from torch.cat of rows, float64 inside then cast back.
def sho_state_space(k, m):
    dtype = torch.float32
    for value in (k, m):
        if isinstance(value, torch.Tensor) and value.is_floating_point():
            dtype = torch.promote_types(dtype, value.dtype)
    k = torch.as_tensor(k, dtype=torch.float64) if not isinstance(k, torch.Tensor) else k.double()
    m = torch.as_tensor(m, dtype=torch.float64) if not isinstance(m, torch.Tensor) else m.double()
    w2 = k / m
    inv_m = 1 / m
    z = torch.zeros(1, dtype=torch.float64)
    o = torch.ones(1, dtype=torch.float64)
    A = torch.cat([torch.cat([z, o])[None], torch.cat([-w2[None], z])[None]])
    B = torch.cat([z, inv_m[None]])[:, None]
    C = torch.cat([o, z])[None]
    return A.to(dtype), B.to(dtype), C.to(dtype)
