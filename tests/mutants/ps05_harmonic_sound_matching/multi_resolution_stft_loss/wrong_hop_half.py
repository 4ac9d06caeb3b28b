# Wrong: hop n_fft // 2 instead of n_fft // 4.
def multi_resolution_stft_loss(x, y, fft_sizes=(2048, 1024, 512, 256, 128, 64), eps=1e-7):
    total = 0.0
    for n_fft in fft_sizes:
        sx = stft_magnitude(x, n_fft, n_fft // 2)
        sy = stft_magnitude(y, n_fft, n_fft // 2)
        total = total + (sx - sy).abs().mean() + (torch.log(sx + eps) - torch.log(sy + eps)).abs().mean()
    return total / len(fft_sizes)
