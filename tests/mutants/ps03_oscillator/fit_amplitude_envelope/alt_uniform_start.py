# Alternative: a start uniform in [0.2, 1] from the seeded generator, F.l1_loss, torch.no_grad() copy out.
import torch
import torch.nn.functional as F


def fit_amplitude_envelope(target, frequency, n_frames, n_iter, lr, seed):
    generator = torch.Generator().manual_seed(seed)
    start = 0.2 + 0.8 * torch.rand(target.shape[0], n_frames, generator=generator, dtype=torch.float64)
    envelope = start.to(target.dtype).requires_grad_(True)
    optimiser = torch.optim.Adam([envelope], lr=lr)
    n_samples = target.shape[-1]
    for _ in range(n_iter):
        loss = F.l1_loss(sinusoid(envelope, frequency, n_samples), target)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    with torch.no_grad():
        return envelope.clone()
