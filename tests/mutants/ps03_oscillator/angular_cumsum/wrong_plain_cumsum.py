# Wrong: a plain float32 cumsum, wrapped at the end (a phase near 1.6e6 rad is stored to +-0.0625 rad).
import math

import torch


def angular_cumsum(omega, chunk_size=1000):
    return torch.remainder(torch.cumsum(omega, dim=-1) + math.pi, 2 * math.pi) - math.pi
