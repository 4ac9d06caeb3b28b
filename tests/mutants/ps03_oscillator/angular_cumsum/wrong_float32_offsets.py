# Wrong: DDSP-style chunks whose wrapped totals are summed in float32 (0.045 rad of drift on the chirp).
import math

import torch
import torch.nn.functional as F


def angular_cumsum(omega, chunk_size=1000):
    n = omega.shape[-1]
    chunks = F.pad(omega, (0, (-n) % chunk_size)).reshape(*omega.shape[:-1], -1, chunk_size)
    within = torch.cumsum(chunks, dim=-1)
    totals = torch.remainder(within[..., -1], 2 * math.pi)
    offsets = torch.cumsum(totals, dim=-1) - totals
    phase = (within + offsets[..., None]).reshape(*omega.shape[:-1], -1)[..., :n]
    return torch.remainder(phase + math.pi, 2 * math.pi) - math.pi
