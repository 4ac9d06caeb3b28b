# Alternative: exclusive sum by concatenating a zero column in front of the inclusive sum.
import torch


def sinusoid(amplitude, frequency, n_samples, initial_phase=None):
    omega = upsample(frequency, n_samples)
    start = torch.zeros_like(omega[:, :1]) if initial_phase is None else initial_phase.reshape(-1, 1).to(omega.dtype)
    phase = torch.cat([start, start + torch.cumsum(omega[:, :-1], dim=-1)], dim=-1)
    return upsample(amplitude, n_samples) * torch.sin(phase)
