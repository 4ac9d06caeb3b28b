# Wrong: uses Adam instead of plain SGD.
def fit_gain(source, target, loss_fn, n_iter=300, lr=0.01, init=1.0):
    model = LinearGain(init)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history = []
    for _ in range(n_iter):
        history.append(model.gain.item())
        optimizer.zero_grad()
        loss_fn(model(source), target).backward()
        optimizer.step()
    return model.gain.item(), history
