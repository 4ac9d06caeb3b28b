# Copies the element mass matrix's diagonal (2 rho h/6) instead of assembling it: an interior node belongs to two elements (4 rho h/6).
def string_fem_matrices(n_nodes, length, density, tension):
    n = n_nodes - 2
    h = length / (n_nodes - 1)
    ones = torch.ones(n, dtype=torch.float64)
    off = torch.diag(ones[1:], 1) + torch.diag(ones[1:], -1)
    K = tension / h * (2 * torch.diag(ones) - off)
    M = density * h / 6 * (2 * torch.diag(ones) + off)
    return K.float(), M.float()
