# Alternative: row-vector states (x A^T), all states stacked, then one output product; inputs projected first.
def simulate_state_space(A, B, C, u, x0):
    drive = u @ B.T                      # (N, S): B u[n] for every n
    x = x0
    states = []
    for n in range(u.shape[0]):
        x = x @ A.T + drive[n]
        states.append(x)
    return (torch.stack(states) @ C.T)[:, 0]
