# Returns the frequencies in Hz (divided by 2 pi) where angular frequencies in rad/s are due.
def modal_decomposition(K, M):
    K64, M64 = K.to(torch.float64), M.to(torch.float64)
    L = torch.linalg.cholesky(M64)
    X = torch.linalg.solve_triangular(L, K64, upper=False)
    A = torch.linalg.solve_triangular(L, X.T, upper=False)
    eigenvalues, U = torch.linalg.eigh((A + A.T) / 2)
    modes = torch.linalg.solve_triangular(L.T, U, upper=True)
    freqs_hz = torch.sqrt(eigenvalues.clamp(min=0.0)) / (2 * math.pi)
    return freqs_hz.to(K.dtype), modes.to(K.dtype)
