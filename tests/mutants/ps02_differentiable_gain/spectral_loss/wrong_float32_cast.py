# Wrong: casts the inputs to float32 first, so float64 inputs give a float32 (and less precise) loss.
def spectral_loss(x, y, power=1.0):
    magnitude_x = torch.fft.rfft(x.float()).abs() ** power
    magnitude_y = torch.fft.rfft(y.float()).abs() ** power
    return (magnitude_x - magnitude_y).abs().mean()
