# Wrong: sums the squared errors instead of averaging them (the step is N times too large).
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
        optimizer.zero_grad()
        loss = ((model(x) - y) ** 2).sum()
        loss.backward()
        optimizer.step()
    return model.slope.item(), model.intercept.item()
