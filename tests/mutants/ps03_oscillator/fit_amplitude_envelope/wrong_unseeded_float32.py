# Wrong: draws the start from the global generator in float32 (ignores the seed and the target's dtype).
import torch


def fit_amplitude_envelope(target, frequency, n_frames, n_iter, lr, seed):
    envelope = torch.rand(target.shape[0], n_frames).requires_grad_()
    optimiser = torch.optim.Adam([envelope], lr=lr)
    for _ in range(n_iter):
        optimiser.zero_grad()
        (sinusoid(envelope, frequency.float(), target.shape[-1]) - target.float()).abs().mean().backward()
        optimiser.step()
    return envelope.detach()
