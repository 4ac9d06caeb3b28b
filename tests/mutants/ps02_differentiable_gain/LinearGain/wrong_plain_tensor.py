# Wrong: the gain is a plain tensor attribute with requires_grad, not an nn.Parameter (module.parameters() is empty).
class LinearGain(nn.Module):
    def __init__(self, gain=1.0):
        super().__init__()
        self.gain = torch.tensor(float(gain), requires_grad=True)

    def forward(self, x):
        return self.gain * x
