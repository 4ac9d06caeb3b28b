# Wrong: the gain is stored as a float64 parameter (torch.tensor of a Python float with dtype=torch.float64).
class LinearGain(nn.Module):
    def __init__(self, gain=1.0):
        super().__init__()
        self.gain = nn.Parameter(torch.tensor(gain, dtype=torch.float64))

    def forward(self, x):
        return self.gain * x
