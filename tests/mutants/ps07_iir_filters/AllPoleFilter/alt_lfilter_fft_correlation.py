# Alternative: forward by lfilter in the input's own precision; grad_a as an FFT cross-correlation.
class AllPoleFilter(torch.autograd.Function):
    """y = AllPoleFilter.apply(x, a): y[n] = x[n] - sum_{k=1..M} a[k-1] y[n-k], from rest.

    x: (T,); a: (M,). Returns y of x's shape and dtype. The backward is hand-written and
    differentiable (gradcheck and gradgradcheck pass in float64).
    """

    @staticmethod
    def forward(ctx, x, a):
        y_np = scipy.signal.lfilter(np.ones(1), np.concatenate([np.ones(1), a.detach().numpy()]), x.detach().numpy())
        y = torch.as_tensor(y_np, dtype=x.dtype)
        ctx.save_for_backward(a, y)
        return y

    @staticmethod
    def backward(ctx, grad_y):
        a, y = ctx.saved_tensors
        grad_x = AllPoleFilter.apply(grad_y.flip(0), a).flip(0)
        grad_a = None
        if ctx.needs_input_grad[1]:
            t, m = y.shape[0], a.shape[0]
            n_fft = 2 * t
            # r[k] = sum_n grad_x[n] y[n - k] = sum_n grad_x[n + k] y[n]
            r = torch.fft.irfft(torch.fft.rfft(grad_x, n=n_fft) * torch.fft.rfft(y, n=n_fft).conj(), n=n_fft)
            grad_a = -r[1:m + 1]
        return grad_x, grad_a
