# Wrong: torch.tensor(x0, requires_grad=True) fails for an integer x0 (an int64 tensor cannot require grad).
def gradient_descent(f, x0, lr, n_iter):
    x = torch.tensor(x0, requires_grad=True)
    optimizer = torch.optim.SGD([x], lr=lr)
    history = []
    for _ in range(n_iter):
        history.append(x.item())
        optimizer.zero_grad()
        f(x).backward()
        optimizer.step()
    return history
