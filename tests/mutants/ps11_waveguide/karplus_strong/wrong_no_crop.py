# Wrong: whole blocks are returned, never cropped to n_samples (too long when n_samples is not a multiple of D, and when n_samples < D)
def karplus_strong(excitation, delay_samples, loss, n_samples):
    D = int(delay_samples)
    if torch.is_tensor(loss):
        loss = loss.to(excitation.dtype)
    blocks = [excitation]
    before = excitation.new_zeros(1)
    while len(blocks) * D < n_samples:
        previous = blocks[-1]
        shifted = torch.cat([before, previous[:-1]])
        before = previous[-1:]
        blocks.append(loss * (previous + shifted) / 2)
    return torch.cat(blocks)
