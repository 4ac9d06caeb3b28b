# Wrong: converts through numpy (no gradient can flow; .numpy() fails on tensors that require grad).
import numpy as np
import torch


def hz_to_angular(f_hz, sample_rate=16000):
    if isinstance(f_hz, torch.Tensor):
        return torch.from_numpy(2 * np.pi * f_hz.numpy() / sample_rate)
    return float(2 * np.pi * f_hz / sample_rate)
