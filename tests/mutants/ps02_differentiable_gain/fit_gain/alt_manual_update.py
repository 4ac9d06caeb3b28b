# Alternative: the SGD update written by hand with torch.autograd.grad, under no_grad.
def fit_gain(source, target, loss_fn, n_iter=300, lr=0.01, init=1.0):
    model = LinearGain(init)
    history = []
    for _ in range(n_iter):
        history.append(float(model.gain.detach()))
        (grad,) = torch.autograd.grad(loss_fn(model(source), target), [model.gain])
        with torch.no_grad():
            model.gain -= lr * grad
    return float(model.gain.detach()), history
