# Wrong: saves x and recomputes y with scipy inside backward: first derivatives right, but y is then cut
# from the graph, so the second derivatives through y (of grad_a in x and a) are missing.
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
        ctx.save_for_backward(x, a)
        return torch.from_numpy(y64).to(dtype=x.dtype, device=x.device)

    @staticmethod
    def backward(ctx, grad_y):
        x, a = ctx.saved_tensors
        a64 = np.concatenate([[1.0], a.detach().numpy().astype(np.float64)])
        y = torch.from_numpy(scipy.signal.lfilter([1.0], a64, x.detach().numpy().astype(np.float64))).to(x.dtype)
        grad_x = AllPoleFilter.apply(grad_y.flip(-1), a).flip(-1)
        order, length = a.shape[-1], y.shape[-1]
        padded = F.pad(y, (order, 0))
        delayed = torch.stack([padded[order - k: order - k + length] for k in range(1, order + 1)])
        grad_a = -(delayed * grad_x).sum(-1)
        return grad_x, grad_a
