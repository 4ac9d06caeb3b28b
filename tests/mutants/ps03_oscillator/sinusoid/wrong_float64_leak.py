# Wrong: accumulates the phase in float64 (fine) but never casts back: float32 in gives float64 out.
import torch
import torch.nn.functional as F


def sinusoid(amplitude, frequency, n_samples, initial_phase=None):
    amp = upsample(amplitude, n_samples)
    omega = upsample(frequency, n_samples).double()
    phase = F.pad(torch.cumsum(omega, dim=-1)[..., :-1], (1, 0))
    if initial_phase is not None:
        phase = phase + initial_phase.double()[:, None]
    return amp * torch.sin(phase)
