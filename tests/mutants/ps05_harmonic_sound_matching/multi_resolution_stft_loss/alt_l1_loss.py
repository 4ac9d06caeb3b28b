# Alternative: F.l1_loss for both terms, accumulated from zero in the inputs' dtype.
def multi_resolution_stft_loss(x, y, fft_sizes=(2048, 1024, 512, 256, 128, 64), eps=1e-7):
    loss = torch.zeros((), dtype=x.dtype)
    for n_fft in fft_sizes:
        sx = stft_magnitude(x, n_fft, n_fft // 4)
        sy = stft_magnitude(y, n_fft, n_fft // 4)
        loss = loss + F.l1_loss(sx, sy) + F.l1_loss((sx + eps).log(), (sy + eps).log())
    return loss / len(fft_sizes)
