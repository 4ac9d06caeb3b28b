# Applies a Hamming window inside lpc, although the caller has already windowed (or chosen not to window) the frame.
def lpc(frame, order):
    n = frame.shape[-1]
    frame = frame * torch.hamming_window(n, periodic=False, dtype=frame.dtype)
    r = torch.stack([(frame[..., :n - k] * frame[..., k:]).sum(-1) for k in range(order + 1)], dim=-1)
    a, _ = levinson_durbin(r, order)
    return a
