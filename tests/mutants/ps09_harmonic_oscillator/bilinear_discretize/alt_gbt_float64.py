# Alternative: scipy's generalised bilinear formula with alpha = 1/2, computed in float64 and cast back.
def bilinear_discretize(A, B, C, D, dt):
    alpha = 0.5
    dtype = A.dtype
    A, B, C, D = A.double(), B.double(), C.double(), D.double()
    dt = torch.as_tensor(dt, dtype=torch.float64)
    eye = torch.eye(A.shape[0], dtype=torch.float64)
    ima = eye - alpha * dt * A
    A_d = torch.linalg.solve(ima, eye + (1.0 - alpha) * dt * A)
    B_d = torch.linalg.solve(ima, dt * B)
    C_d = torch.linalg.solve(ima.transpose(0, 1), C.transpose(0, 1)).transpose(0, 1)
    D_d = D + alpha * C @ B_d
    return A_d.to(dtype), B_d.to(dtype), C_d.to(dtype), D_d.to(dtype)
