# Wrong: reshapes into chunks without padding: only lengths that are a multiple of chunk_size work.
import math

import torch


def angular_cumsum(omega, chunk_size=1000):
    n = omega.shape[-1]
    chunks = omega.reshape(*omega.shape[:-1], n // chunk_size, chunk_size)
    within = torch.cumsum(chunks, dim=-1)
    totals = within[..., -1].double()
    offsets = torch.remainder(torch.cumsum(totals, dim=-1) - totals + math.pi, 2 * math.pi) - math.pi
    phase = (within + offsets[..., None].to(omega.dtype)).reshape(omega.shape)
    return torch.remainder(phase + math.pi, 2 * math.pi) - math.pi
