# Wrong: exclusive sum (the oscillator's convention), but angular_cumsum is inclusive.
import math

import torch


def angular_cumsum(omega, chunk_size=1000):
    phase = torch.cumsum(omega.double(), dim=-1) - omega.double()
    return (torch.remainder(phase + math.pi, 2 * math.pi) - math.pi).to(omega.dtype)
