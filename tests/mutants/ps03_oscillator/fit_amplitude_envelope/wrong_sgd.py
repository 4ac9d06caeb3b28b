# Wrong: plain SGD at the given lr: far too slow on L1 to reach the envelope in 200 steps.
import torch


def fit_amplitude_envelope(target, frequency, n_frames, n_iter, lr, seed):
    generator = torch.Generator().manual_seed(seed)
    envelope = torch.rand(target.shape[0], n_frames, generator=generator, dtype=target.dtype).requires_grad_()
    optimiser = torch.optim.SGD([envelope], lr=lr)
    for _ in range(n_iter):
        optimiser.zero_grad()
        (sinusoid(envelope, frequency, target.shape[-1]) - target).abs().mean().backward()
        optimiser.step()
    return envelope.detach()
