# Wrong: pairs a[0] with the oldest output y[n-M] instead of the most recent y[n-1] (coefficients reversed).
def allpole_direct(x, a):
    order = a.shape[-1]
    state = x.new_zeros(x.shape[:-1] + (order,))  # y[n-M], ..., y[n-1]
    outputs = []
    for n in range(x.shape[-1]):
        y_n = x[..., n] - (state * a).sum(-1)
        outputs.append(y_n)
        state = torch.cat([state[..., 1:], y_n.unsqueeze(-1)], dim=-1)
    return torch.stack(outputs, dim=-1)
