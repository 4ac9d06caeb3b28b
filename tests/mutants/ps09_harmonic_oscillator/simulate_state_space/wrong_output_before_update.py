# Wrong: y[n] = C x[n] (output read before the update) instead of C x[n+1].
def simulate_state_space(A, B, C, u, x0):
    x = x0
    outputs = []
    for n in range(u.shape[0]):
        outputs.append(C @ x)
        x = A @ x + B @ u[n]
    return torch.cat(outputs)
