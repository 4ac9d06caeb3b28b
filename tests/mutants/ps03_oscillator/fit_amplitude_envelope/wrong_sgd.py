# Wrong: plain SGD at the given lr: on waveform L1 the gradients are tiny, far from the envelope in 200 steps.
import torch


def fit_amplitude_envelope(target, frequency, n_frames, n_iter, lr, seed):
    generator = torch.Generator().manual_seed(seed)
    envelope = torch.rand(target.shape[0], n_frames, generator=generator, dtype=target.dtype).requires_grad_()
    optimiser = torch.optim.SGD([envelope], lr=lr)
    for _ in range(n_iter):
        optimiser.zero_grad()
        loss = (sinusoid(envelope, frequency, target.shape[-1]) - target).abs().mean()
        loss.backward()
        optimiser.step()
    return envelope.detach()
