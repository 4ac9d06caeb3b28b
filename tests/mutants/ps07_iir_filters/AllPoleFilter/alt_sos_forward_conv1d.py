# Alternative: forward as second-order sections (tf2sos + sosfilt), conv1d for the correlation in backward.
class AllPoleFilter(torch.autograd.Function):
    """y = AllPoleFilter.apply(x, a): y[n] = x[n] - sum_{k=1..M} a[k-1] y[n-k], from rest.

    x: (T,); a: (M,). Returns y of x's shape and dtype. The backward is hand-written and
    differentiable (gradcheck and gradgradcheck pass in float64).
    """

    @staticmethod
    def forward(ctx, x, a):
        # the all-pole filter as a cascade of second-order sections (float64), cast back to x's dtype
        sos = scipy.signal.tf2sos([1.0], np.concatenate([[1.0], a.detach().double().numpy()]))
        y = torch.from_numpy(scipy.signal.sosfilt(sos, x.detach().double().numpy())).to(x.dtype)
        ctx.save_for_backward(a, y)
        return y

    @staticmethod
    def backward(ctx, grad_y):
        a, y = ctx.saved_tensors
        grad_x = AllPoleFilter.apply(grad_y.flip(0), a).flip(0)
        order = a.shape[0]
        # c[j] = sum_n y_pad[j + n] g[n] with y_pad = [0]*order + y: c[order - k] = sum_n y[n - k] g[n]
        c = F.conv1d(F.pad(y, (order, 0)).view(1, 1, -1), grad_x.view(1, 1, -1)).view(-1)
        grad_a = -c[:order].flip(0)
        return grad_x, grad_a
