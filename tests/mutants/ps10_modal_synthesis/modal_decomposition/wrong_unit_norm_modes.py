# Normalises each mode to unit Euclidean length instead of v^T M v = 1 (not M-orthonormal).
def modal_decomposition(K, M):
    K64, M64 = K.to(torch.float64), M.to(torch.float64)
    L = torch.linalg.cholesky(M64)
    X = torch.linalg.solve_triangular(L, K64, upper=False)
    A = torch.linalg.solve_triangular(L, X.T, upper=False)
    eigenvalues, U = torch.linalg.eigh((A + A.T) / 2)
    modes = torch.linalg.solve_triangular(L.T, U, upper=True)
    modes = modes / torch.linalg.vector_norm(modes, dim=0, keepdim=True)
    return torch.sqrt(eigenvalues.clamp(min=0.0)).to(K.dtype), modes.to(K.dtype)
