# Wrong: one envelope shared by the whole batch (shape (1, n_frames)), expanded at the end.
import torch


def fit_amplitude_envelope(target, frequency, n_frames, n_iter, lr, seed):
    generator = torch.Generator().manual_seed(seed)
    envelope = torch.rand(1, n_frames, generator=generator, dtype=target.dtype).requires_grad_()
    optimiser = torch.optim.Adam([envelope], lr=lr)
    for _ in range(n_iter):
        optimiser.zero_grad()
        predicted = sinusoid(envelope.expand(target.shape[0], -1), frequency, target.shape[-1])
        (predicted - target).abs().mean().backward()
        optimiser.step()
    return envelope.detach().expand(target.shape[0], -1).clone()
