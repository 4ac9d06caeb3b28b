# Wrong: a plain float32 cumsum, wrapped at the end (rounds phases near 1e6 rad to 0.0625 rad).
import math

import torch


def angular_cumsum(omega, chunk_size=1000):
    return torch.remainder(torch.cumsum(omega, dim=-1) + math.pi, 2 * math.pi) - math.pi
