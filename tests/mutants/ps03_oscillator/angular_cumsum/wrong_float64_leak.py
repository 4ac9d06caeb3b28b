# Wrong: accurate float64 phases, wrapped, but returned as float64 for float32 inputs.
import math

import torch


def angular_cumsum(omega, chunk_size=1000):
    phase = torch.cumsum(omega.double(), dim=-1)
    return torch.remainder(phase + math.pi, 2 * math.pi) - math.pi
