# Alternative: the plain sample loop on a list of 0-dim tensors (slow: a few autograd nodes per sample, but the same numbers)
def karplus_strong(excitation, delay_samples, loss, n_samples):
    D = int(delay_samples)
    y = list(excitation.unbind(0))[:n_samples]
    zero = excitation.new_zeros(())
    for n in range(D, n_samples):
        older = y[n - D - 1] if n - D - 1 >= 0 else zero
        y.append(loss * (y[n - D] + older) / 2)
    return torch.stack(y).to(excitation.dtype)
