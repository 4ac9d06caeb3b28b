# Wrong: computes in float32 whatever the input dtype (float64 precision and dtype lost).
import torch
import torch.nn.functional as F


def sinusoid(amplitude, frequency, n_samples, initial_phase=None):
    amp = upsample(amplitude.float(), n_samples)
    omega = upsample(frequency.float(), n_samples)
    phase = F.pad(torch.cumsum(omega, dim=-1)[..., :-1], (1, 0))
    if initial_phase is not None:
        phase = phase + initial_phase.float()[:, None]
    return amp * torch.sin(phase)
