# Wrong: writes into a float32 buffer (torch.zeros(N)), so float64 inputs come back float32.
def simulate_state_space(A, B, C, u, x0):
    y = torch.zeros(u.shape[0])
    x = x0
    for n in range(u.shape[0]):
        x = A @ x + B @ u[n]
        y[n] = (C @ x)[0]
    return y
