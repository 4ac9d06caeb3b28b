# Wrong: computes both gradients with scipy/numpy: right first derivatives, but the backward is not differentiable.
class AllPoleFilter(torch.autograd.Function):
    """y = AllPoleFilter.apply(x, a): y[n] = x[n] - sum_{k=1..M} a[k-1] y[n-k], from rest.

    x: (T,); a: (M,). Returns y of x's shape and dtype. The backward is hand-written and
    differentiable (gradcheck and gradgradcheck pass in float64).
    """

    @staticmethod
    def forward(ctx, x, a):
        x64 = x.detach().cpu().numpy().astype(np.float64)
        a64 = a.detach().cpu().numpy().astype(np.float64)
        y64 = scipy.signal.lfilter([1.0], np.concatenate([[1.0], a64]), x64, axis=-1)
        y = torch.from_numpy(y64).to(dtype=x.dtype, device=x.device)
        ctx.save_for_backward(a, y)
        return y

    @staticmethod
    def backward(ctx, grad_y):
        a, y = ctx.saved_tensors
        a64 = np.concatenate([[1.0], a.detach().numpy().astype(np.float64)])
        g = scipy.signal.lfilter([1.0], a64, grad_y.detach().numpy().astype(np.float64)[::-1])[::-1]
        y64 = y.detach().numpy().astype(np.float64)
        order = a.shape[-1]
        grad_a = np.array([-np.dot(g[k:], y64[:len(y64) - k]) for k in range(1, order + 1)])
        return (torch.from_numpy(g.copy()).to(grad_y.dtype), torch.from_numpy(grad_a).to(a.dtype))
