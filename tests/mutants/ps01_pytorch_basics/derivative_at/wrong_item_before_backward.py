# Wrong: calls .item() on f(x) before backward, so there is no graph left to differentiate.
def derivative_at(f, x0):
    x = torch.tensor(float(x0), requires_grad=True)
    y = f(x).item()
    y.backward()
    return x.grad.item()
