# Wrong: the excitation is converted to float32 first, so a float64 excitation gives a float32 output
def karplus_strong(excitation, delay_samples, loss, n_samples):
    excitation = excitation.float()
    D = int(delay_samples)
    if n_samples <= D:
        return excitation[:n_samples]
    if torch.is_tensor(loss):
        loss = loss.float()
    blocks = [excitation]
    before = excitation.new_zeros(1)
    for _ in range(math.ceil(n_samples / D) - 1):
        previous = blocks[-1]
        shifted = torch.cat([before, previous[:-1]])
        before = previous[-1:]
        blocks.append(loss * (previous + shifted) / 2)
    return torch.cat(blocks)[:n_samples]
