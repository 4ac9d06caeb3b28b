# Wrong: zero_grad between backward and step, so every step uses a zero gradient and nothing moves.
class Line(nn.Module):
    """A straight line: forward(x) = slope * x + intercept, (N,) -> (N,)."""

    def __init__(self):
        super().__init__()
        self.slope = nn.Parameter(torch.zeros(()))
        self.intercept = nn.Parameter(torch.zeros(()))

    def forward(self, x):
        return self.slope * x + self.intercept


def fit_line(x, y, n_iter, lr):
    model = Line()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for _ in range(n_iter):
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        optimizer.zero_grad()
        optimizer.step()
    return model.slope.item(), model.intercept.item()
