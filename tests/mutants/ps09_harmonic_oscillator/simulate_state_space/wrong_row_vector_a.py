# Wrong: row-vector state x @ A (that is A^T x) with the column-vector matrices.
def simulate_state_space(A, B, C, u, x0):
    x = x0
    outputs = []
    for n in range(u.shape[0]):
        x = x @ A + B @ u[n]
        outputs.append(C @ x)
    return torch.cat(outputs)
