# Alternative: blocks computed in float64 on a growing signal padded with y[-1] = 0 in front, cast back at the end
def karplus_strong(excitation, delay_samples, loss, n_samples):
    D = int(delay_samples)
    if n_samples <= D:
        return excitation[:n_samples]
    dtype = excitation.dtype
    gain = loss.to(torch.float64) if torch.is_tensor(loss) else torch.tensor(float(loss), dtype=torch.float64)
    y = F.pad(excitation.to(torch.float64), (1, 0))          # y[-1] = 0 stored at index 0
    while y.shape[0] - 1 < n_samples:
        start = y.shape[0] - 1 - D                          # index (in y's numbering) of y[n - D] for the new block
        block = gain * 0.5 * (y[start + 1:start + 1 + D] + y[start:start + D])
        y = torch.cat([y, block])
    return y[1:n_samples + 1].to(dtype)
