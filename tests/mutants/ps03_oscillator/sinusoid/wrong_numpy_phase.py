# Wrong: accumulates the phase with numpy (right values, but no gradient reaches the frequency).
import numpy as np
import torch


def sinusoid(amplitude, frequency, n_samples, initial_phase=None):
    amp = upsample(amplitude, n_samples)
    omega = upsample(frequency, n_samples).detach().numpy()
    phase = np.cumsum(omega, axis=-1) - omega
    if initial_phase is not None:
        phase = phase + initial_phase.detach().numpy()[:, None]
    return amp * torch.from_numpy(np.sin(phase))
