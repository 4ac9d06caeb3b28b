# Wrong: C_d = C M^-1 but D_d = D (the C B_d / 2 feedthrough is forgotten).
def bilinear_discretize(A, B, C, D, dt):
    eye = torch.eye(A.shape[0], dtype=A.dtype)
    M = eye - A * dt / 2
    A_d = torch.linalg.solve(M, eye + A * dt / 2)
    B_d = torch.linalg.solve(M, B) * dt
    C_d = C @ torch.linalg.inv(M)
    return A_d, B_d, C_d, D
