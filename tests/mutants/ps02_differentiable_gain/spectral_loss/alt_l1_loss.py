# Alternative: torch.nn.functional.l1_loss (mean reduction) on the powered magnitudes, via torch.abs.
import torch.nn.functional as F


def spectral_loss(x, y, power=1.0):
    return F.l1_loss(torch.abs(torch.fft.rfft(x)) ** power, torch.abs(torch.fft.rfft(y)) ** power)
