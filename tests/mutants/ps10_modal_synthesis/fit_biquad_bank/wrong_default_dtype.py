# Creates the parameters with the default dtype: a float64 target comes back as complex64/float32.
def fit_biquad_bank(target_magnitude, omega, n_cascade, n_parallel, n_iter=500, lr=0.02, seed=0,
                    losses=None, progress=False):
    dtype = torch.get_default_dtype()
    target = target_magnitude.detach().to(dtype)
    target_db = 20 * torch.log10(target.clamp_min(1e-30))
    omega = omega.detach().to(dtype)
    generator = torch.Generator().manual_seed(seed)
    shape = (n_cascade, n_parallel)
    n_sections = n_cascade * n_parallel
    # Starts spread across the band: the centres of n_sections equal slices of (0, pi), branch j taking
    # slices j*n_cascade ... (j+1)*n_cascade - 1, jittered by a quarter of a slice either way.
    centres = (torch.arange(n_sections, dtype=dtype) + 0.5) * math.pi / n_sections
    jitter = (torch.rand(shape, generator=generator, dtype=dtype) - 0.5) * 0.5 * math.pi / n_sections
    angle = (centres.reshape(n_parallel, n_cascade).T + jitter).requires_grad_()
    radius_logit = torch.full(shape, math.log(0.9 / 0.1), dtype=dtype, requires_grad=True)   # radius 0.9
    zero_re = (0.1 * torch.randn(shape, generator=generator, dtype=dtype)).requires_grad_()
    zero_im = (0.1 * torch.randn(shape, generator=generator, dtype=dtype)).requires_grad_()
    gain = torch.ones(shape, dtype=dtype)
    gain[:, 1::2] = -1.0                          # alternate the branches' signs
    gain.requires_grad_()
    level = torch.ones((), dtype=dtype)           # a fixed scale, set below: Adam's steps stay relative

    def bank():
        poles = torch.polar(torch.sigmoid(radius_logit), angle)
        return poles, torch.complex(zero_re, zero_im), gain * level

    with torch.no_grad():                         # match the start's mean log-magnitude to the target's
        start = biquad_bank_response(*bank(), omega).abs().clamp_min(1e-30)
        level = torch.exp((torch.log(target.clamp_min(1e-30)) - torch.log(start)).mean() / n_cascade)

    optimizer = torch.optim.Adam([angle, radius_logit, zero_re, zero_im, gain], lr=lr)
    for _ in tqdm(range(n_iter), desc="biquad bank", disable=not progress):
        optimizer.zero_grad()
        response = biquad_bank_response(*bank(), omega)
        loss = (20 * torch.log10(response.abs().clamp_min(1e-30)) - target_db).abs().mean()
        loss.backward()
        optimizer.step()
        if losses is not None:
            losses.append(loss.item())
    with torch.no_grad():
        return tuple(x.detach() for x in bank())
