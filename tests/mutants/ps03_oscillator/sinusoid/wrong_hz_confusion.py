# Wrong: treats the angular frequency as cycles per sample and multiplies by 2*pi again.
import math

import torch
import torch.nn.functional as F


def sinusoid(amplitude, frequency, n_samples, initial_phase=None):
    amp = upsample(amplitude, n_samples)
    omega = 2 * math.pi * upsample(frequency, n_samples)
    phase = F.pad(torch.cumsum(omega, dim=-1)[..., :-1], (1, 0))
    if initial_phase is not None:
        phase = phase + initial_phase[:, None]
    return amp * torch.sin(phase)
