# Wrong: sin(omega[n] * n) instead of integrating the frequency (phase jumps when omega changes).
import torch


def sinusoid(amplitude, frequency, n_samples, initial_phase=None):
    amp = upsample(amplitude, n_samples)
    omega = upsample(frequency, n_samples)
    phase = omega * torch.arange(n_samples, dtype=omega.dtype)
    if initial_phase is not None:
        phase = phase + initial_phase[:, None]
    return amp * torch.sin(phase)
