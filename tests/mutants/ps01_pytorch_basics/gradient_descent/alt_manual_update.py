# Alternative: the SGD update written by hand with torch.autograd.grad, under no_grad, float() for the history.
def gradient_descent(f, x0, lr, n_iter):
    x = torch.tensor(x0, dtype=torch.float32, requires_grad=True)
    history = []
    for _ in range(n_iter):
        history.append(float(x))
        (grad,) = torch.autograd.grad(f(x), [x])
        with torch.no_grad():
            x -= lr * grad
    return history
