# Wrong: the fraction is computed from float(delay), so the output does not depend on the delay for autograd (no gradient in delay)
def fractional_delay(x, delay):
    n = x.shape[-1]
    delay = float(delay)
    d = math.floor(delay)
    f = delay - d
    whole = F.pad(x, (d, 0))[..., :n]
    beyond = F.pad(x, (d + 1, 0))[..., :n]
    return (1 - f) * whole + f * beyond
