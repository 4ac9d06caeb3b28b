# Wrong: torch.fft.fft (all N bins, mirrored half included) instead of rfft, so the mean runs over other bins.
def spectral_loss(x, y, power=1.0):
    magnitude_x = torch.fft.fft(x).abs() ** power
    magnitude_y = torch.fft.fft(y).abs() ** power
    return (magnitude_x - magnitude_y).abs().mean()
