# Wrong: adds the feedback (y[n] = x[n] + sum a[k-1] y[n-k]), the opposite of scipy's sign convention.
def allpole_direct(x, a):
    order = a.shape[-1]
    state = x.new_zeros(x.shape[:-1] + (order,))
    outputs = []
    for n in range(x.shape[-1]):
        y_n = x[..., n] + (state * a).sum(-1)
        outputs.append(y_n)
        state = torch.cat([y_n.unsqueeze(-1), state[..., :-1]], dim=-1)
    return torch.stack(outputs, dim=-1)
