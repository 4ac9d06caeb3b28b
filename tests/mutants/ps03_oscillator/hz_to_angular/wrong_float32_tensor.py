# Wrong: always builds a float32 tensor (a float in gives a tensor; float64 precision lost).
import math

import torch


def hz_to_angular(f_hz, sample_rate=16000):
    return torch.as_tensor(f_hz, dtype=torch.float32) * (2 * math.pi / sample_rate)
