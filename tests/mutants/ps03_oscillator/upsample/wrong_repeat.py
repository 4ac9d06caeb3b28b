# Wrong: nearest-neighbour (piecewise constant) upsampling by repetition, not linear interpolation.
import torch


def upsample(envelope, n_samples):
    n_frames = envelope.shape[-1]
    index = torch.clamp((torch.arange(n_samples) * n_frames) // n_samples, max=n_frames - 1)
    return envelope[..., index]
