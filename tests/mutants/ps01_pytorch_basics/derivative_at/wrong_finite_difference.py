# Wrong: a central finite difference with h = 1e-3 in float32 instead of autograd (truncation and rounding errors).
def derivative_at(f, x0):
    h = 1e-3
    x = torch.as_tensor(x0, dtype=torch.float32)
    return ((f(x + h) - f(x - h)) / (2 * h)).item()
