# Alternative: torch.autograd.grad on a fresh leaf made with as_tensor (dtype kept for tensors, float32 for numbers).
def derivative_at(f, x0):
    dtype = x0.dtype if torch.is_tensor(x0) else torch.float32
    x = torch.as_tensor(x0, dtype=dtype).detach().clone()
    x.requires_grad = True
    (grad,) = torch.autograd.grad(f(x), [x])
    return float(grad)
