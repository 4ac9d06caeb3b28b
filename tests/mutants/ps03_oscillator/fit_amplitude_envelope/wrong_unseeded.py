# Wrong: draws the start from the global generator (ignores the seed: not reproducible).
import torch


def fit_amplitude_envelope(target, frequency, n_frames, n_iter, lr, seed):
    envelope = torch.rand(target.shape[0], n_frames, dtype=target.dtype).requires_grad_()
    optimiser = torch.optim.Adam([envelope], lr=lr)
    for _ in range(n_iter):
        optimiser.zero_grad()
        loss = (sinusoid(envelope, frequency, target.shape[-1]) - target).abs().mean()
        loss.backward()
        optimiser.step()
    return envelope.detach()
