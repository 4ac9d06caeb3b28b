# Wrong: torch.tensor(gain) without a dtype: an int gain gives an integer tensor, which cannot require grad.
class LinearGain(nn.Module):
    def __init__(self, gain=1.0):
        super().__init__()
        self.gain = nn.Parameter(torch.tensor(gain))

    def forward(self, x):
        return self.gain * x
