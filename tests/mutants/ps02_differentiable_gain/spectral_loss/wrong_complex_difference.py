# Wrong: magnitude of the complex difference |X - Y|**p, which compares phases too.
def spectral_loss(x, y, power=1.0):
    return (torch.fft.rfft(x) - torch.fft.rfft(y)).abs().pow(power).mean()
