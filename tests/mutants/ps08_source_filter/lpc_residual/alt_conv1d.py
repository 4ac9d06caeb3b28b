# Valid: a causal convolution with conv1d (left zero padding, kernel flipped), one group per row.
def lpc_residual(signal, a):
    shape = signal.shape
    order = a.shape[-1]
    x = signal.reshape(1, -1, shape[-1])                              # rows as channels
    kernel = torch.cat([torch.ones_like(a[..., :1]), a], dim=-1)      # 1, a_1..a_p
    kernel = kernel.expand(*shape[:-1], order + 1).reshape(-1, 1, order + 1).flip(-1)
    y = torch.nn.functional.conv1d(torch.nn.functional.pad(x, (order, 0)), kernel, groups=x.shape[1])
    return y.reshape(shape)
