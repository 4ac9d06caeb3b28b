# Wrong: adds initial_phase (batch,) to (batch, n_samples) without a new axis (works only for batch 1).
import torch
import torch.nn.functional as F


def sinusoid(amplitude, frequency, n_samples, initial_phase=None):
    amp = upsample(amplitude, n_samples)
    omega = upsample(frequency, n_samples)
    phase = F.pad(torch.cumsum(omega, dim=-1)[..., :-1], (1, 0))
    if initial_phase is not None:
        phase = phase + initial_phase
    return amp * torch.sin(phase)
