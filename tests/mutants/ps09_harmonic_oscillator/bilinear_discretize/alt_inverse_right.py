# Alternative: explicit inverse, A_d = (I + A dt/2) M^-1 (the factors commute).
def bilinear_discretize(A, B, C, D, dt):
    eye = torch.eye(A.shape[0], dtype=A.dtype)
    M_inv = torch.linalg.inv(eye - 0.5 * dt * A)
    A_d = (eye + 0.5 * dt * A) @ M_inv
    B_d = dt * (M_inv @ B)
    C_d = C @ M_inv
    D_d = D + 0.5 * (C @ B_d)
    return A_d, B_d, C_d, D_d
