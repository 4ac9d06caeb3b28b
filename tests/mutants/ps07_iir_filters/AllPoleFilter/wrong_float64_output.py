# Wrong: returns scipy's float64 result as is, so a float32 input gives a float64 output.
class AllPoleFilter(torch.autograd.Function):
    """y = AllPoleFilter.apply(x, a): y[n] = x[n] - sum_{k=1..M} a[k-1] y[n-k], from rest.

    x: (T,); a: (M,). Returns y of x's shape and dtype. The backward is hand-written and
    differentiable (gradcheck and gradgradcheck pass in float64).
    """

    @staticmethod
    def forward(ctx, x, a):
        a64 = np.concatenate([[1.0], a.detach().numpy()])
        y = torch.from_numpy(scipy.signal.lfilter([1.0], a64, x.detach().numpy().astype(np.float64)))
        ctx.save_for_backward(a, y)
        return y

    @staticmethod
    def backward(ctx, grad_y):
        a, y = ctx.saved_tensors
        grad_x = AllPoleFilter.apply(grad_y.flip(-1), a).flip(-1)
        order, length = a.shape[-1], y.shape[-1]
        padded = F.pad(y, (order, 0))
        delayed = torch.stack([padded[order - k: order - k + length] for k in range(1, order + 1)])
        grad_a = -(delayed * grad_x).sum(-1).to(a.dtype)
        return grad_x.to(grad_y.dtype), grad_a
