# Wrong: the previous block is rolled (torch.roll) instead of shifted, so its own last sample wraps round in place of y[n-D-1] at the block's start
def karplus_strong(excitation, delay_samples, loss, n_samples):
    D = int(delay_samples)
    if n_samples <= D:
        return excitation[:n_samples]
    if torch.is_tensor(loss):
        loss = loss.to(excitation.dtype)
    blocks = [excitation]
    while sum(b.shape[0] for b in blocks) < n_samples:
        previous = blocks[-1]
        blocks.append(loss * (previous + torch.roll(previous, 1)) / 2)
    return torch.cat(blocks)[:n_samples]
