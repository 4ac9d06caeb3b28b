# Wrong: also appends the value after the last step, giving n_iter + 1 entries.
def gradient_descent(f, x0, lr, n_iter):
    x = torch.tensor(float(x0), requires_grad=True)
    optimizer = torch.optim.SGD([x], lr=lr)
    history = [x.item()]
    for _ in range(n_iter):
        optimizer.zero_grad()
        f(x).backward()
        optimizer.step()
        history.append(x.item())
    return history
