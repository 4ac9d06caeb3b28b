# Assembles every element but never removes the two fixed end nodes: (n_nodes, n_nodes) matrices.
def string_fem_matrices(n_nodes, length, density, tension):
    h = length / (n_nodes - 1)
    k_e = tension / h * torch.tensor([[1.0, -1.0], [-1.0, 1.0]], dtype=torch.float64)
    m_e = density * h / 6 * torch.tensor([[2.0, 1.0], [1.0, 2.0]], dtype=torch.float64)
    K = torch.zeros(n_nodes, n_nodes, dtype=torch.float64)
    M = torch.zeros(n_nodes, n_nodes, dtype=torch.float64)
    for e in range(n_nodes - 1):
        K[e:e + 2, e:e + 2] += k_e
        M[e:e + 2, e:e + 2] += m_e
    return K.float(), M.float()
