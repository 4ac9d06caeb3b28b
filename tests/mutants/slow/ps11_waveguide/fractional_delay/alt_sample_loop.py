# Alternative (slow): a Python loop over the output samples, y[n] = (1 - f) x[n - d] + f x[n - d - 1], stacked.
# Correct, but the graded fit (300 calls on 8,000 samples) runs past its CPU budget: the notebook says so.
def fractional_delay(x, delay):
    n = x.shape[-1]
    d = math.floor(delay.detach().item() if torch.is_tensor(delay) else delay)
    f = delay - d
    if torch.is_tensor(f):
        f = f.to(x.dtype)
    zero = x.new_zeros(x.shape[:-1])
    samples = []
    for i in range(n):
        now = x[..., i - d] if 0 <= i - d < n else zero
        before = x[..., i - d - 1] if 0 <= i - d - 1 < n else zero
        samples.append((1 - f) * now + f * before)
    return torch.stack(samples, dim=-1)
