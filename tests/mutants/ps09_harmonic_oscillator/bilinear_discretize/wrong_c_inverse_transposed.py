# Wrong: C_d = C M^-T (solve with M instead of M^T before transposing back).
def bilinear_discretize(A, B, C, D, dt):
    eye = torch.eye(A.shape[0], dtype=A.dtype)
    M = eye - A * dt / 2
    A_d = torch.linalg.solve(M, eye + A * dt / 2)
    B_d = torch.linalg.solve(M, B) * dt
    C_d = torch.linalg.solve(M, C.T).T
    D_d = D + C @ B_d / 2
    return A_d, B_d, C_d, D_d
