# Wrong: a deque-style loop averages y[n-D] with the sample after it, y[n-D+1]: the loop is D - 0.5 samples long (pitch fs/(D - 0.5))
def karplus_strong(excitation, delay_samples, loss, n_samples):
    D = int(delay_samples)
    if n_samples <= D:
        return excitation[:n_samples]
    line = list(excitation.unbind(0))      # the delay line, oldest sample first
    out = []
    for _ in range(n_samples):
        oldest = line.pop(0)
        out.append(oldest)
        line.append(loss * (oldest + line[0]) / 2)
    return torch.stack(out)
