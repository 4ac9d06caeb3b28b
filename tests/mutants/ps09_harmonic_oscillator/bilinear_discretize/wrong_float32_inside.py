# Wrong: casts everything to float32 (float64 inputs come back float32).
def bilinear_discretize(A, B, C, D, dt):
    A, B, C, D = A.float(), B.float(), C.float(), D.float()
    eye = torch.eye(A.shape[0])
    M = eye - A * float(dt) / 2
    A_d = torch.linalg.solve(M, eye + A * float(dt) / 2)
    B_d = torch.linalg.solve(M, B) * float(dt)
    C_d = torch.linalg.solve(M.T, C.T).T
    D_d = D + C @ B_d / 2
    return A_d, B_d, C_d, D_d
