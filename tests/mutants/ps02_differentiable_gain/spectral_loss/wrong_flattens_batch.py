# Wrong: flattens the batch into one long signal before the rfft, mixing the items' spectra.
def spectral_loss(x, y, power=1.0):
    magnitude_x = torch.fft.rfft(x.reshape(-1)).abs() ** power
    magnitude_y = torch.fft.rfft(y.reshape(-1)).abs() ** power
    return (magnitude_x - magnitude_y).abs().mean()
