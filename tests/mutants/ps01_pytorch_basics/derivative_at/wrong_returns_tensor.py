# Wrong: returns the gradient tensor x.grad instead of a Python float.
def derivative_at(f, x0):
    if isinstance(x0, torch.Tensor):
        x = x0.detach().clone().requires_grad_(True)
    else:
        x = torch.tensor(float(x0), requires_grad=True)
    f(x).backward()
    return x.grad
