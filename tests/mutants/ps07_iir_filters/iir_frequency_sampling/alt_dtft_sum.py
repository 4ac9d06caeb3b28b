# Alternative: evaluates A(e^{i w_k}) = 1 + sum_k a_k e^{-i w_k k} at the rfft bin frequencies by an explicit sum.
def iir_frequency_sampling(x, a):
    n = x.shape[-1]
    order = a.shape[0]
    if order + 1 > n:
        raise ValueError("M + 1 > N")
    omega = 2 * math.pi * torch.arange(n // 2 + 1, dtype=x.dtype) / n
    k = torch.arange(1, order + 1, dtype=x.dtype)
    phase = -omega[:, None] * k[None, :]
    real = 1 + (a * torch.cos(phase)).sum(-1)
    imag = (a * torch.sin(phase)).sum(-1)
    return torch.fft.irfft(torch.fft.rfft(x, dim=-1) / torch.complex(real, imag), n=n, dim=-1)
