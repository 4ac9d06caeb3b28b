# Solves in float64 but always returns float32, whatever K's dtype.
def modal_decomposition(K, M):
    K64, M64 = K.to(torch.float64), M.to(torch.float64)
    L = torch.linalg.cholesky(M64)
    X = torch.linalg.solve_triangular(L, K64, upper=False)
    A = torch.linalg.solve_triangular(L, X.T, upper=False)
    eigenvalues, U = torch.linalg.eigh((A + A.T) / 2)
    modes = torch.linalg.solve_triangular(L.T, U, upper=True)
    return torch.sqrt(eigenvalues.clamp(min=0.0)).float(), modes.float()
