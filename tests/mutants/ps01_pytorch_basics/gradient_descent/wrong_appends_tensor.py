# Wrong: appends detached tensor copies of x instead of Python floats.
def gradient_descent(f, x0, lr, n_iter):
    x = torch.tensor(float(x0), requires_grad=True)
    optimizer = torch.optim.SGD([x], lr=lr)
    history = []
    for _ in range(n_iter):
        history.append(x.detach().clone())
        optimizer.zero_grad()
        f(x).backward()
        optimizer.step()
    return history
