# Wrong: x is a float64 tensor, not float32 (history[0] is x0 itself, not float32(x0)).
def gradient_descent(f, x0, lr, n_iter):
    x = torch.tensor(float(x0), dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([x], lr=lr)
    history = []
    for _ in range(n_iter):
        history.append(x.item())
        optimizer.zero_grad()
        f(x).backward()
        optimizer.step()
    return history
