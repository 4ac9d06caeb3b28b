# Wrong: forward multiplies by gain.item(), a Python float, so no gradient reaches the parameter.
class LinearGain(nn.Module):
    def __init__(self, gain=1.0):
        super().__init__()
        self.gain = nn.Parameter(torch.tensor(float(gain), dtype=torch.float32))

    def forward(self, x):
        return self.gain.item() * x
