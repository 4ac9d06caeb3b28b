# Alternative: always differentiates in float64 (more precise than float32, which the tolerances admit).
def derivative_at(f, x0):
    value = x0.detach().double().item() if isinstance(x0, torch.Tensor) else float(x0)
    x = torch.tensor(value, dtype=torch.float64, requires_grad=True)
    f(x).backward()
    return x.grad.item()
