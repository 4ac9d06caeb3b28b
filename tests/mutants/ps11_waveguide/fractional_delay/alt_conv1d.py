# Alternative: a whole-sample shift, then the two-tap FIR [1 - f, f] by conv1d (kernel built from the delay, so it stays differentiable)
def fractional_delay(x, delay):
    n = x.shape[-1]
    shape = x.shape
    d = math.floor(float(delay.detach()) if torch.is_tensor(delay) else delay)
    f = torch.as_tensor(delay, dtype=x.dtype) - d
    one = torch.ones((), dtype=x.dtype)
    kernel = torch.stack([f, one - f]).reshape(1, 1, 2)     # conv1d correlates: flip [1 - f, f]
    shifted = F.pad(x.reshape(-1, 1, n), (d + 1, 0))[..., :n + 1]   # x[m - d] for m = -1 .. n - 1
    return F.conv1d(shifted, kernel).reshape(shape)
