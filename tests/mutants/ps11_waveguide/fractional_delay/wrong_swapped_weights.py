# Wrong: the weights are swapped, f on x[n - d] and 1 - f on x[n - d - 1]: the delay is d + 1 - f
def fractional_delay(x, delay):
    n = x.shape[-1]
    d = math.floor(delay.detach().item() if torch.is_tensor(delay) else delay)
    f = delay - d
    if torch.is_tensor(f):
        f = f.to(x.dtype)
    whole = F.pad(x, (d, 0))[..., :n]
    beyond = F.pad(x, (d + 1, 0))[..., :n]
    return f * whole + (1 - f) * beyond
