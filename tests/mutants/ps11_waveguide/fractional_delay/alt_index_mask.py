# Alternative: index arithmetic with a mask for the samples before the start (no padding)
def fractional_delay(x, delay):
    n = x.shape[-1]
    d = int(torch.as_tensor(delay).detach().floor().item())
    f = (delay - d).to(x.dtype) if torch.is_tensor(delay) else delay - d
    idx = torch.arange(n) - d
    tap0 = torch.where(idx >= 0, x[..., idx.clamp(0, n - 1)], torch.zeros((), dtype=x.dtype))
    tap1 = torch.where(idx - 1 >= 0, x[..., (idx - 1).clamp(0, n - 1)], torch.zeros((), dtype=x.dtype))
    return tap0 + f * (tap1 - tap0)
