# Wrong: starts from the zero state, ignoring x0.
def simulate_state_space(A, B, C, u, x0):
    x = torch.zeros_like(x0)
    outputs = []
    for n in range(u.shape[0]):
        x = A @ x + B @ u[n]
        outputs.append(C @ x)
    return torch.cat(outputs)
