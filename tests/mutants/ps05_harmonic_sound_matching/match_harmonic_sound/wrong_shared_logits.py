# Wrong: one set of logits shared by every batch item (broadcast), so different voices get the same timbre.
def match_harmonic_sound(target, f0_hz, sample_rate, n_harmonics, n_frames, n_iter, lr, seed,
                         losses=None, progress=False):
    batch, n_samples = target.shape
    dtype = target.dtype
    if isinstance(f0_hz, torch.Tensor):
        f0_hz = f0_hz.to(dtype).expand(batch, n_frames)
    else:
        f0_hz = torch.full((batch, n_frames), float(f0_hz), dtype=dtype)
    f0 = 2 * math.pi * f0_hz / sample_rate
    generator = torch.Generator().manual_seed(seed)
    amplitude_logits = torch.randn(1, n_frames, generator=generator, dtype=dtype).requires_grad_()
    harmonic_logits = torch.randn(1, n_harmonics, n_frames, generator=generator, dtype=dtype).requires_grad_()
    optimizer = torch.optim.Adam([amplitude_logits, harmonic_logits], lr=lr)
    for _ in tqdm(range(n_iter), disable=not progress):
        optimizer.zero_grad()
        audio = ddsp_harmonic_synth(f0, amplitude_logits.expand(batch, -1), harmonic_logits.expand(batch, -1, -1), n_samples)
        loss = multi_resolution_stft_loss(audio, target)
        loss.backward()
        optimizer.step()
        if losses is not None:
            losses.append(loss.item())
    with torch.no_grad():
        amplitude_logits, harmonic_logits = amplitude_logits.expand(batch, -1), harmonic_logits.expand(batch, -1, -1)
        audio = ddsp_harmonic_synth(f0, amplitude_logits, harmonic_logits, n_samples)
        frequencies = harmonic_frequencies(f0, n_harmonics)
        distribution = remove_above_nyquist(exp_sigmoid(harmonic_logits), frequencies)
        distribution = distribution / distribution.sum(dim=1, keepdim=True).clamp_min(1e-7)
    return audio, distribution
