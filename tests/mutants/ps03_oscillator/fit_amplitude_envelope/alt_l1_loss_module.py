# Alternative: nn.Parameter, nn.L1Loss and zero_grad(set_to_none=True), a cloned result.
import torch


def fit_amplitude_envelope(target, frequency, n_frames, n_iter, lr, seed):
    start = torch.rand(target.shape[0], n_frames, generator=torch.Generator().manual_seed(seed), dtype=target.dtype)
    envelope = torch.nn.Parameter(start)
    optimiser = torch.optim.Adam([envelope], lr=lr)
    criterion = torch.nn.L1Loss()
    for _ in range(n_iter):
        optimiser.zero_grad(set_to_none=True)
        criterion(sinusoid(envelope, frequency, target.shape[-1]), target).backward()
        optimiser.step()
    return envelope.detach().clone()
