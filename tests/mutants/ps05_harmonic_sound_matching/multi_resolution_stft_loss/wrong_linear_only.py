# Wrong: drops the log term.
def multi_resolution_stft_loss(x, y, fft_sizes=(2048, 1024, 512, 256, 128, 64), eps=1e-7):
    losses = [(stft_magnitude(x, n, n // 4) - stft_magnitude(y, n, n // 4)).abs().mean() for n in fft_sizes]
    return sum(losses) / len(losses)
