# Alternative: a list comprehension of steps, tolist() for the floats, zero_grad(set_to_none=True).
def gradient_descent(f, x0, lr, n_iter):
    x = torch.zeros((), requires_grad=True)
    with torch.no_grad():
        x.fill_(x0)
    optimizer = torch.optim.SGD(params=[x], lr=lr, momentum=0.0, weight_decay=0.0)

    def step():
        value = x.detach().tolist()
        optimizer.zero_grad(set_to_none=True)
        f(x).backward()
        optimizer.step()
        return value

    return [step() for _ in range(n_iter)]
