# Alternative: torch.pi and a different order of operations.
import torch


def hz_to_angular(f_hz, sample_rate=16000):
    return f_hz * (2 * torch.pi) / sample_rate
