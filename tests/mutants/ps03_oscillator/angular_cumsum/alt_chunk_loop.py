# Alternative: an explicit loop over chunks; the carried offset is a float64 tensor, wrapped every chunk.
import math

import torch


def angular_cumsum(omega, chunk_size=1000):
    carry = torch.zeros(omega.shape[:-1], dtype=torch.float64)
    pieces = []
    for start in range(0, omega.shape[-1], chunk_size):
        within = torch.cumsum(omega[..., start:start + chunk_size], dim=-1)
        piece = within + carry[..., None].to(omega.dtype)
        pieces.append(torch.remainder(piece + math.pi, 2 * math.pi) - math.pi)
        carry = torch.remainder(carry + within[..., -1].double(), 2 * math.pi)
    return torch.cat(pieces, dim=-1)
