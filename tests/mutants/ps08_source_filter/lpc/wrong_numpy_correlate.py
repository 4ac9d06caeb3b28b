# Autocorrelation with numpy.correlate: right values for one frame, but the graph is cut (and batches fail).
def lpc(frame, order):
    x = frame.detach().numpy()
    full = np.correlate(x, x, mode="full")
    r = torch.tensor(full[len(x) - 1:len(x) + order], dtype=frame.dtype)
    a, _ = levinson_durbin(r, order)
    return a
