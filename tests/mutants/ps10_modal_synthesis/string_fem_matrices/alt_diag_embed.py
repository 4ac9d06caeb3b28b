# Builds the bands directly in float32 with diagonal fills (no float64 step).
def string_fem_matrices(n_nodes, length, density, tension):
    n = n_nodes - 2
    h = length / (n_nodes - 1)
    K = torch.zeros(n, n)
    M = torch.zeros(n, n)
    idx = torch.arange(n)
    K[idx, idx] = 2 * tension / h
    M[idx, idx] = 4 * density * h / 6
    if n > 1:
        K[idx[:-1], idx[1:]] = K[idx[1:], idx[:-1]] = -tension / h
        M[idx[:-1], idx[1:]] = M[idx[1:], idx[:-1]] = density * h / 6
    return K, M
