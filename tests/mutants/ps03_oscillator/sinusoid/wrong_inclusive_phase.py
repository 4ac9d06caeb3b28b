# Wrong: inclusive phase (torch.cumsum without the shift): every sample one step ahead.
import torch


def sinusoid(amplitude, frequency, n_samples, initial_phase=None):
    amp = upsample(amplitude, n_samples)
    phase = torch.cumsum(upsample(frequency, n_samples), dim=-1)
    if initial_phase is not None:
        phase = phase + initial_phase[:, None]
    return amp * torch.sin(phase)
