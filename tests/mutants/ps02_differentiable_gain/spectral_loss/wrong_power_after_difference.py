# Wrong: the power is applied after the difference, | |X| - |Y| |**p, instead of to each magnitude.
def spectral_loss(x, y, power=1.0):
    difference = torch.fft.rfft(x).abs() - torch.fft.rfft(y).abs()
    return (difference.abs() ** power).mean()
