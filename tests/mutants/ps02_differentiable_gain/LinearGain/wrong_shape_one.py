# Wrong: the gain parameter has shape (1,) instead of being 0-dim.
class LinearGain(nn.Module):
    def __init__(self, gain=1.0):
        super().__init__()
        self.gain = nn.Parameter(torch.tensor([float(gain)]))

    def forward(self, x):
        return self.gain * x
