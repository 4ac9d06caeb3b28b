# Wrong: torch.roll shifts circularly, so the end of the signal wraps round to its start instead of zeros
def fractional_delay(x, delay):
    d = math.floor(delay.detach().item() if torch.is_tensor(delay) else delay)
    f = delay - d
    if torch.is_tensor(f):
        f = f.to(x.dtype)
    return (1 - f) * torch.roll(x, d, dims=-1) + f * torch.roll(x, d + 1, dims=-1)
