# The general eigensolver on M^-1 K in float64, then sorted and M-normalised column by column.
def modal_decomposition(K, M):
    K64, M64 = K.double(), M.double()
    eigenvalues, vectors = torch.linalg.eig(torch.linalg.solve(M64, K64))
    eigenvalues, vectors = eigenvalues.real, vectors.real
    order = torch.argsort(eigenvalues)
    eigenvalues, vectors = eigenvalues[order], vectors[:, order]
    for k in range(vectors.shape[1]):
        v = vectors[:, k]
        vectors[:, k] = v / torch.sqrt(v @ M64 @ v)
    return torch.sqrt(torch.clamp(eigenvalues, min=0.0)).to(K.dtype), vectors.to(K.dtype)
