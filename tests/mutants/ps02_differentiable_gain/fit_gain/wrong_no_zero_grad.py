# Wrong: never calls zero_grad, so gradients accumulate across steps (momentum without damping).
def fit_gain(source, target, loss_fn, n_iter=300, lr=0.01, init=1.0):
    model = LinearGain(init)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    history = []
    for _ in range(n_iter):
        history.append(model.gain.item())
        loss = loss_fn(model(source), target)
        loss.backward()
        optimizer.step()
    return model.gain.item(), history
