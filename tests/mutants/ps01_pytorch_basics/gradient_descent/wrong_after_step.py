# Wrong: records x after each step, so the history starts at x_1 instead of x0.
def gradient_descent(f, x0, lr, n_iter):
    x = torch.tensor(float(x0), requires_grad=True)
    optimizer = torch.optim.SGD([x], lr=lr)
    history = []
    for _ in range(n_iter):
        optimizer.zero_grad()
        f(x).backward()
        optimizer.step()
        history.append(x.item())
    return history
