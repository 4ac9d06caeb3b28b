# Wrong: appends the final gain to the history as well, giving n_iter + 1 entries.
def fit_gain(source, target, loss_fn, n_iter=300, lr=0.01, init=1.0):
    model = LinearGain(init)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    history = [model.gain.item()]
    for _ in range(n_iter):
        optimizer.zero_grad()
        loss_fn(model(source), target).backward()
        optimizer.step()
        history.append(model.gain.item())
    return history[-1], history
