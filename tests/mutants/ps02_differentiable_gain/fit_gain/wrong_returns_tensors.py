# Wrong: returns tensors (the parameter and clones of it) instead of Python floats.
def fit_gain(source, target, loss_fn, n_iter=300, lr=0.01, init=1.0):
    model = LinearGain(init)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    history = []
    for _ in range(n_iter):
        history.append(model.gain.detach().clone())
        optimizer.zero_grad()
        loss_fn(model(source), target).backward()
        optimizer.step()
    return model.gain.detach(), history
