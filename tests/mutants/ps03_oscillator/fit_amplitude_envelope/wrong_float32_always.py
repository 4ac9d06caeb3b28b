# Wrong: fits in float32 whatever the target's dtype (a float64 target gives a float32 envelope).
import torch


def fit_amplitude_envelope(target, frequency, n_frames, n_iter, lr, seed):
    generator = torch.Generator().manual_seed(seed)
    envelope = torch.rand(target.shape[0], n_frames, generator=generator).requires_grad_()
    target, frequency = target.float(), frequency.float()
    optimiser = torch.optim.Adam([envelope], lr=lr)
    for _ in range(n_iter):
        optimiser.zero_grad()
        loss = (sinusoid(envelope, frequency, target.shape[-1]) - target).abs().mean()
        loss.backward()
        optimiser.step()
    return envelope.detach()
