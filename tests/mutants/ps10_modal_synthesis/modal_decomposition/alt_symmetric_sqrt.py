# Reduces with the symmetric square root M^-1/2 (from eigh of M) instead of a Cholesky factor.
def modal_decomposition(K, M):
    K64, M64 = K.double(), M.double()
    mu, Q = torch.linalg.eigh(M64)
    M_inv_sqrt = Q @ torch.diag(mu.rsqrt()) @ Q.T
    A = M_inv_sqrt @ K64 @ M_inv_sqrt
    eigenvalues, U = torch.linalg.eigh((A + A.T) / 2)
    modes = M_inv_sqrt @ U
    return eigenvalues.clamp(min=0.0).sqrt().to(K.dtype), modes.to(K.dtype)
