# Alternative: zero_grad(set_to_none=True) on the module, SGD given the parameter list explicitly, a while loop.
def fit_gain(source, target, loss_fn, n_iter=300, lr=0.01, init=1.0):
    model = LinearGain(init)
    optimizer = torch.optim.SGD([model.gain], lr=lr, momentum=0.0)
    history = []
    step = 0
    while step < n_iter:
        history.append(model.gain.detach().item())
        model.zero_grad(set_to_none=True)
        loss = loss_fn(model.forward(source), target)
        loss.backward()
        optimizer.step()
        step += 1
    return model.gain.detach().item(), history
