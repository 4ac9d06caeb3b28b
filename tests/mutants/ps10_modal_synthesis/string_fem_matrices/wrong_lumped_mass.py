# Lumped (diagonal) mass matrix rho*h*I instead of the consistent rho*h/6 tridiag(1, 4, 1).
def string_fem_matrices(n_nodes, length, density, tension):
    n = n_nodes - 2
    h = length / (n_nodes - 1)
    ones = torch.ones(n, dtype=torch.float64)
    off = torch.diag(ones[1:], 1) + torch.diag(ones[1:], -1)
    K = tension / h * (2 * torch.diag(ones) - off)
    M = density * h * torch.diag(ones)
    return K.float(), M.float()
