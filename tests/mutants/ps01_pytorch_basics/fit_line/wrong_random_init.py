# Wrong: initialises slope and intercept randomly (like a neural network) instead of at 0.
class Line(nn.Module):
    """A straight line: forward(x) = slope * x + intercept, (N,) -> (N,)."""

    def __init__(self):
        super().__init__()
        self.slope = nn.Parameter(torch.randn(()))
        self.intercept = nn.Parameter(torch.randn(()))

    def forward(self, x):
        return self.slope * x + self.intercept


def fit_line(x, y, n_iter, lr):
    model = Line()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for _ in range(n_iter):
        optimizer.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        optimizer.step()
    return model.slope.item(), model.intercept.item()
