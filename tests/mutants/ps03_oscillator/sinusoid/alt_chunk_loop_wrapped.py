# Alternative: an explicit loop over blocks of samples carrying the phase, wrapped after every block.
import math

import torch


def sinusoid(amplitude, frequency, n_samples, initial_phase=None):
    amp = upsample(amplitude, n_samples)
    omega = upsample(frequency, n_samples)
    carry = torch.zeros(omega.shape[0], dtype=omega.dtype) if initial_phase is None else initial_phase
    pieces = []
    for start in range(0, n_samples, 256):
        block = omega[:, start:start + 256]
        pieces.append(carry[:, None] + torch.cumsum(block, dim=-1) - block)   # exclusive within the block
        carry = torch.remainder(carry + block.sum(dim=-1), 2 * math.pi)
    return amp * torch.sin(torch.cat(pieces, dim=-1))
