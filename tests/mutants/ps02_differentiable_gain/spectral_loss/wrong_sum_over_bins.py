# Wrong: sums over the frequency bins (and averages over the batch) instead of the mean over all elements.
def spectral_loss(x, y, power=1.0):
    magnitude_x = torch.fft.rfft(x).abs() ** power
    magnitude_y = torch.fft.rfft(y).abs() ** power
    return (magnitude_x - magnitude_y).abs().sum(dim=-1).mean()
