# Wrong: an orthonormal (scaled) FFT, norm="ortho", instead of the unscaled rfft.
def spectral_loss(x, y, power=1.0):
    magnitude_x = torch.fft.rfft(x, norm="ortho").abs() ** power
    magnitude_y = torch.fft.rfft(y, norm="ortho").abs() ** power
    return (magnitude_x - magnitude_y).abs().mean()
