# Uses the general eigensolver on M^-1 K (float64, M-normalised) but never sorts: eig returns no particular order.
def modal_decomposition(K, M):
    K64, M64 = K.to(torch.float64), M.to(torch.float64)
    eigenvalues, vectors = torch.linalg.eig(torch.linalg.solve(M64, K64))
    eigenvalues, vectors = eigenvalues.real, vectors.real
    norms = torch.sqrt(torch.einsum("ik,ij,jk->k", vectors, M64, vectors))
    modes = vectors / norms
    return torch.sqrt(eigenvalues.clamp(min=0.0)).to(K.dtype), modes.to(K.dtype)
