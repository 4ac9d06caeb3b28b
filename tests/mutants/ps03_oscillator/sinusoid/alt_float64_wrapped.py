# Alternative: accumulate the phase in float64, wrap it, cast back to the input dtype.
import math

import torch


def sinusoid(amplitude, frequency, n_samples, initial_phase=None):
    amp = upsample(amplitude, n_samples)
    omega = upsample(frequency, n_samples).double()
    phase = torch.cumsum(omega, dim=-1) - omega
    if initial_phase is not None:
        phase = phase + initial_phase.double()[:, None]
    phase = torch.remainder(phase, 2 * math.pi)
    return amp * torch.sin(phase).to(amp.dtype)
