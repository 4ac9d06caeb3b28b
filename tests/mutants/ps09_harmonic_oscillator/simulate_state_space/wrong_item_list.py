# Wrong: collects Python floats with .item() and rebuilds a tensor: right values, no gradients.
def simulate_state_space(A, B, C, u, x0):
    x = x0
    outputs = []
    for n in range(u.shape[0]):
        x = A @ x + B @ u[n]
        outputs.append((C @ x).item())
    return torch.tensor(outputs, dtype=A.dtype)
