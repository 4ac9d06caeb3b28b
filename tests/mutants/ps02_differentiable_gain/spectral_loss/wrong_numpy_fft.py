# Wrong: computes the loss with numpy and wraps the result in a new tensor, which cuts the autograd graph.
def spectral_loss(x, y, power=1.0):
    mx = np.abs(np.fft.rfft(x.detach().numpy(), axis=-1)) ** power
    my = np.abs(np.fft.rfft(y.detach().numpy(), axis=-1)) ** power
    return torch.tensor(np.mean(np.abs(mx - my)), dtype=x.dtype)
