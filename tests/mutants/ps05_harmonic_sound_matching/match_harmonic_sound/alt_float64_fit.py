# Alternative: fits in float64 whatever the target's dtype, with a uniform start in [-1, 1], and casts the
# results back to the target's dtype.
def match_harmonic_sound(target, f0_hz, sample_rate, n_harmonics, n_frames, n_iter, lr, seed,
                         losses=None, progress=False):
    batch, n_samples = target.shape
    target64 = target.double()
    if torch.is_tensor(f0_hz):
        f0 = f0_hz.double().expand(batch, n_frames) * 2 * math.pi / sample_rate
    else:
        f0 = torch.full((batch, n_frames), 2 * math.pi * f0_hz / sample_rate, dtype=torch.float64)
    generator = torch.Generator().manual_seed(seed)
    amplitude_logits = (2 * torch.rand(batch, n_frames, generator=generator, dtype=torch.float64) - 1).requires_grad_()
    harmonic_logits = (2 * torch.rand(batch, n_harmonics, n_frames, generator=generator, dtype=torch.float64) - 1).requires_grad_()
    optimizer = torch.optim.Adam([amplitude_logits, harmonic_logits], lr=lr)
    for _ in range(n_iter):
        optimizer.zero_grad()
        loss = multi_resolution_stft_loss(ddsp_harmonic_synth(f0, amplitude_logits, harmonic_logits, n_samples), target64)
        loss.backward()
        optimizer.step()
        if losses is not None:
            losses.append(loss.item())
    amplitude_logits, harmonic_logits = amplitude_logits.detach(), harmonic_logits.detach()
    audio = ddsp_harmonic_synth(f0, amplitude_logits, harmonic_logits, n_samples)
    weights = exp_sigmoid(harmonic_logits) * (harmonic_frequencies(f0, n_harmonics) < math.pi)
    distribution = weights / weights.sum(dim=1, keepdim=True).clamp_min(1e-7)
    return audio.to(target.dtype), distribution.to(target.dtype)
