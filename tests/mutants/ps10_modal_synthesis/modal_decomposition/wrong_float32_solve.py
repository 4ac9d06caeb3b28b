# Solves in the input's precision: a float32 eigensolve loses ~1e-4 on the low modes of a 200-node string.
def modal_decomposition(K, M):
    L = torch.linalg.cholesky(M)
    X = torch.linalg.solve_triangular(L, K, upper=False)
    A = torch.linalg.solve_triangular(L, X.T, upper=False)
    A = (A + A.T) / 2
    eigenvalues, U = torch.linalg.eigh(A)
    modes = torch.linalg.solve_triangular(L.T, U, upper=True)
    return torch.sqrt(eigenvalues.clamp(min=0.0)), modes
