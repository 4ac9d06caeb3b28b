# Wrong: never clears the gradient, so each step uses the sum of all gradients so far.
def gradient_descent(f, x0, lr, n_iter):
    x = torch.tensor(float(x0), requires_grad=True)
    optimizer = torch.optim.SGD([x], lr=lr)
    history = []
    for _ in range(n_iter):
        history.append(x.item())
        f(x).backward()
        optimizer.step()
    return history
