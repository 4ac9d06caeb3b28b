# Assembles the 2 x 2 element matrices in float32 over all nodes, then slices the fixed ends away.
def string_fem_matrices(n_nodes, length, density, tension):
    h = length / (n_nodes - 1)
    k_e = torch.tensor([[1.0, -1.0], [-1.0, 1.0]]) * (tension / h)
    m_e = torch.tensor([[2.0, 1.0], [1.0, 2.0]]) * (density * h / 6)
    K = torch.zeros(n_nodes, n_nodes)
    M = torch.zeros(n_nodes, n_nodes)
    for e in range(n_nodes - 1):
        K[e:e + 2, e:e + 2] += k_e
        M[e:e + 2, e:e + 2] += m_e
    return K[1:-1, 1:-1].contiguous(), M[1:-1, 1:-1].contiguous()
