# Wrong: float(loss) accepts both a number and a tensor, but cuts the graph: no gradient reaches the loss
def karplus_strong(excitation, delay_samples, loss, n_samples):
    D = int(delay_samples)
    if n_samples <= D:
        return excitation[:n_samples]
    loss = float(loss)
    blocks = [excitation]
    before = excitation.new_zeros(1)
    for _ in range(math.ceil(n_samples / D) - 1):
        previous = blocks[-1]
        shifted = torch.cat([before, previous[:-1]])
        before = previous[-1:]
        blocks.append(loss * (previous + shifted) / 2)
    return torch.cat(blocks)[:n_samples]
