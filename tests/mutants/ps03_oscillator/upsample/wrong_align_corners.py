# Wrong: align_corners=True pins the first and last frames to the first and last samples.
import torch.nn.functional as F


def upsample(envelope, n_samples):
    leading = envelope.shape[:-1]
    flat = envelope.reshape(-1, 1, envelope.shape[-1])
    return F.interpolate(flat, size=n_samples, mode="linear", align_corners=True).reshape(*leading, n_samples)
