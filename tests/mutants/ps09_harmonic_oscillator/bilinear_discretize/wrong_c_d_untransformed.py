# Wrong: only A and B are transformed; C and D are passed through (C_d = C, D_d = D).
def bilinear_discretize(A, B, C, D, dt):
    eye = torch.eye(A.shape[0], dtype=A.dtype)
    M = eye - A * dt / 2
    A_d = torch.linalg.solve(M, eye + A * dt / 2)
    B_d = torch.linalg.solve(M, B) * dt
    return A_d, B_d, C, D
