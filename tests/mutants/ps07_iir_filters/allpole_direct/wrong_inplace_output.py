# Wrong: writes each output in place into a preallocated tensor; the forward is right but autograd cannot
# backpropagate (the slices it saved were modified afterwards).
def allpole_direct(x, a):
    order = a.shape[-1]
    length = x.shape[-1]
    y = torch.zeros(x.shape[:-1] + (length + order,), dtype=x.dtype)
    a_rev = a.flip(0)  # a[M-1], ..., a[0] against y[n-M], ..., y[n-1]
    for n in range(length):
        y[..., n + order] = x[..., n] - (y[..., n:n + order] * a_rev).sum(-1)
    return y[..., order:]
