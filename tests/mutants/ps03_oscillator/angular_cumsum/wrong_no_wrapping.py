# Wrong: an accurate float64 running sum, cast back, but never wrapped into [-pi, pi].
import torch


def angular_cumsum(omega, chunk_size=1000):
    return torch.cumsum(omega.double(), dim=-1).to(omega.dtype)
