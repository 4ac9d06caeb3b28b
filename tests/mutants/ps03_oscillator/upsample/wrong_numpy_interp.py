# Wrong: np.interp row by row (right values, but the round trip through numpy cuts the graph).
import numpy as np
import torch


def upsample(envelope, n_samples):
    n_frames = envelope.shape[-1]
    frames = envelope.detach().reshape(-1, n_frames).numpy()
    pos = (np.arange(n_samples) + 0.5) * n_frames / n_samples - 0.5
    rows = [np.interp(pos, np.arange(n_frames), row) for row in frames]
    out = np.stack(rows).astype(frames.dtype).reshape(*envelope.shape[:-1], n_samples)
    return torch.from_numpy(out)
