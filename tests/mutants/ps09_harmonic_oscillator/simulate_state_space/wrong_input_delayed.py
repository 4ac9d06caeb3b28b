# Wrong: applies the previous input, x[n+1] = A x[n] + B u[n-1] (u[-1] = 0).
def simulate_state_space(A, B, C, u, x0):
    x = x0
    previous = torch.zeros_like(u[0])
    outputs = []
    for n in range(u.shape[0]):
        x = A @ x + B @ previous
        previous = u[n]
        outputs.append(C @ x)
    return torch.cat(outputs)
