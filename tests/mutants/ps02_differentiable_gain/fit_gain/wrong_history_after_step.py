# Wrong: records the gain after each step, so history[0] is not init (and the last value is duplicated).
def fit_gain(source, target, loss_fn, n_iter=300, lr=0.01, init=1.0):
    model = LinearGain(init)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    history = []
    for _ in range(n_iter):
        optimizer.zero_grad()
        loss_fn(model(source), target).backward()
        optimizer.step()
        history.append(model.gain.item())
    return model.gain.item(), history
