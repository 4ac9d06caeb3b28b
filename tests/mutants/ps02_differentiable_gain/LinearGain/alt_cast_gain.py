# Alternative: as_tensor with the default dtype; forward casts the gain (not the input) to the input's dtype.
class LinearGain(nn.Module):
    def __init__(self, gain=1.0):
        super().__init__()
        self.gain = nn.Parameter(torch.as_tensor(gain, dtype=torch.get_default_dtype()).clone())

    def forward(self, x):
        return x * self.gain.to(x.dtype)
