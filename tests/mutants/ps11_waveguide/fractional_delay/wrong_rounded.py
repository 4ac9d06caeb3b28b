# Wrong: the delay is rounded to whole samples (no interpolation), kept differentiable through a straight-through estimate
def fractional_delay(x, delay):
    n = x.shape[-1]
    d = round(delay.detach().item() if torch.is_tensor(delay) else delay)
    shifted = F.pad(x, (d, 0))[..., :n]
    if torch.is_tensor(delay):
        return shifted + 0 * (delay - delay.detach()).to(x.dtype)
    return shifted
