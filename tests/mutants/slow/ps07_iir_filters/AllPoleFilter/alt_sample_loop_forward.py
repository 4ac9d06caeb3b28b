# Alternative (the tutorial's own route, slow): the forward is the learner's own sample-loop allpole_direct
# on detached tensors; the backward is built from AllPoleFilter.apply, so it is differentiable twice.
class AllPoleFilter(torch.autograd.Function):
    """y = AllPoleFilter.apply(x, a): y[n] = x[n] - sum_{k=1..M} a[k-1] y[n-k], from rest.

    x: (T,); a: (M,). Returns y of x's shape and dtype. The backward is hand-written and
    differentiable (gradcheck and gradgradcheck pass in float64).
    """

    @staticmethod
    def forward(ctx, x, a):
        y = allpole_direct(x.detach(), a.detach())
        ctx.save_for_backward(a, y)
        return y

    @staticmethod
    def backward(ctx, grad_y):
        a, y = ctx.saved_tensors
        grad_x = AllPoleFilter.apply(grad_y.flip(0), a).flip(0)
        grad_a = None
        if ctx.needs_input_grad[1]:
            length = y.shape[0]
            grad_a = -torch.stack([(grad_x[k:] * y[:length - k]).sum() for k in range(1, a.shape[0] + 1)])
        return grad_x, grad_a
