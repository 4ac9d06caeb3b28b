# Wrong: forward casts the input to the parameter's dtype, so float64 inputs come back float32.
class LinearGain(nn.Module):
    def __init__(self, gain=1.0):
        super().__init__()
        self.gain = nn.Parameter(torch.tensor(float(gain), dtype=torch.float32))

    def forward(self, x):
        return self.gain * x.to(self.gain.dtype)
