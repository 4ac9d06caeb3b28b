# Alternative: one loss per resolution, stacked, then torch.mean; the log term as a log ratio.
def multi_resolution_stft_loss(x, y, fft_sizes=(2048, 1024, 512, 256, 128, 64), eps=1e-7):
    per_resolution = []
    for n_fft in fft_sizes:
        hop = n_fft // 4
        sx, sy = stft_magnitude(x, n_fft, hop), stft_magnitude(y, n_fft, hop)
        per_resolution.append(torch.mean(torch.abs(sx - sy)) + torch.mean(torch.abs(torch.log((sx + eps) / (sy + eps)))))
    return torch.stack(per_resolution).mean()
