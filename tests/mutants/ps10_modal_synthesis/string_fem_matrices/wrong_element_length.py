# Element length L/n_nodes instead of L/(n_nodes - 1): there are n_nodes - 1 elements, not n_nodes.
def string_fem_matrices(n_nodes, length, density, tension):
    n = n_nodes - 2
    h = length / n_nodes
    ones = torch.ones(n, dtype=torch.float64)
    off = torch.diag(ones[1:], 1) + torch.diag(ones[1:], -1)
    K = tension / h * (2 * torch.diag(ones) - off)
    M = density * h / 6 * (4 * torch.diag(ones) + off)
    return K.float(), M.float()
