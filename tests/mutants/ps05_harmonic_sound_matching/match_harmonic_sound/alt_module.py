# Alternative: the logits as nn.Parameters of a module, a smaller initial scale (0.5), the distribution
# read from a forward pass that also returns it, torch.as_tensor for the f0.
class _HarmonicControls(nn.Module):
    def __init__(self, batch, n_harmonics, n_frames, generator, dtype):
        super().__init__()
        self.amplitude = nn.Parameter(0.5 * torch.randn(batch, n_frames, generator=generator, dtype=dtype))
        self.harmonics = nn.Parameter(0.5 * torch.randn(batch, n_harmonics, n_frames, generator=generator, dtype=dtype))

    def forward(self, f0, n_samples):
        audio = ddsp_harmonic_synth(f0, self.amplitude, self.harmonics, n_samples)
        weights = remove_above_nyquist(exp_sigmoid(self.harmonics), harmonic_frequencies(f0, self.harmonics.shape[1]))
        return audio, weights / weights.sum(dim=1, keepdim=True).clamp_min(1e-7)


def match_harmonic_sound(target, f0_hz, sample_rate, n_harmonics, n_frames, n_iter, lr, seed,
                         losses=None, progress=False):
    batch, n_samples = target.shape
    f0 = torch.as_tensor(f0_hz, dtype=target.dtype) * (2 * math.pi / sample_rate)
    f0 = f0 * torch.ones(batch, n_frames, dtype=target.dtype)
    controls = _HarmonicControls(batch, n_harmonics, n_frames, torch.Generator().manual_seed(seed), target.dtype)
    optimizer = torch.optim.Adam(controls.parameters(), lr=lr)
    for step in range(n_iter):
        audio, _ = controls(f0, n_samples)
        loss = multi_resolution_stft_loss(audio, target)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        if losses is not None:
            losses.append(float(loss))
    with torch.no_grad():
        audio, distribution = controls(f0, n_samples)
    return audio, distribution
