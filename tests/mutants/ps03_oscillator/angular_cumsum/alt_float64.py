# Alternative: the whole running sum in float64, wrapped, cast back (chunk_size unused).
import math

import torch


def angular_cumsum(omega, chunk_size=1000):
    phase = torch.cumsum(omega.double(), dim=-1)
    return (torch.remainder(phase + math.pi, 2 * math.pi) - math.pi).to(omega.dtype)
