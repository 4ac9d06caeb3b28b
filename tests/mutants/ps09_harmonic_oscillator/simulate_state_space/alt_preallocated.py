# Alternative: a preallocated output of the input dtype, filled in place (autograd records the copies).
def simulate_state_space(A, B, C, u, x0):
    n_samples = u.shape[0]
    y = torch.zeros(n_samples, dtype=A.dtype)
    x = x0
    for n in range(n_samples):
        x = A @ x + B @ u[n]
        y[n] = (C @ x).squeeze(0)
    return y
