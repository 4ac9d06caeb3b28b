# Wrong: B_d = M^-1 B, missing the factor dt.
def bilinear_discretize(A, B, C, D, dt):
    eye = torch.eye(A.shape[0], dtype=A.dtype)
    M = eye - A * dt / 2
    A_d = torch.linalg.solve(M, eye + A * dt / 2)
    B_d = torch.linalg.solve(M, B)
    C_d = torch.linalg.solve(M.T, C.T).T
    D_d = D + C @ B_d / 2
    return A_d, B_d, C_d, D_d
