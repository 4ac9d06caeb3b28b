# Wrong: SGD with momentum 0.9 instead of plain SGD.
def gradient_descent(f, x0, lr, n_iter):
    x = torch.tensor(float(x0), requires_grad=True)
    optimizer = torch.optim.SGD([x], lr=lr, momentum=0.9)
    history = []
    for _ in range(n_iter):
        history.append(x.item())
        optimizer.zero_grad()
        f(x).backward()
        optimizer.step()
    return history
