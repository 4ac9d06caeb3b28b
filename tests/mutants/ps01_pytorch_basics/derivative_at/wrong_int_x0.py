# Wrong: torch.tensor(x0, requires_grad=True) fails for an integer x0 (an int64 tensor cannot require grad).
def derivative_at(f, x0):
    if isinstance(x0, torch.Tensor):
        x = x0.detach().clone().requires_grad_(True)
    else:
        x = torch.tensor(x0, requires_grad=True)
    y = f(x)
    y.backward()
    return x.grad.item()
