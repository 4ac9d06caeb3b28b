# Wrong: builds LinearGain() with its default gain, ignoring init.
def fit_gain(source, target, loss_fn, n_iter=300, lr=0.01, init=1.0):
    model = LinearGain()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    history = []
    for _ in range(n_iter):
        history.append(model.gain.item())
        optimizer.zero_grad()
        loss_fn(model(source), target).backward()
        optimizer.step()
    return model.gain.item(), history
