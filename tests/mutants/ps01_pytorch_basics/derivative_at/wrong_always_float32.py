# Wrong: always differentiates a float32 copy, so a float64 tensor x0 loses its precision.
def derivative_at(f, x0):
    x = torch.tensor(float(x0), requires_grad=True)
    f(x).backward()
    return x.grad.item()
