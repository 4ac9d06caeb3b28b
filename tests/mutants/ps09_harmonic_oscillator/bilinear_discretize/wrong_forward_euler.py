# Wrong: forward Euler (A_d = I + A dt, B_d = B dt) instead of the bilinear transform.
def bilinear_discretize(A, B, C, D, dt):
    eye = torch.eye(A.shape[0], dtype=A.dtype)
    return eye + A * dt, B * dt, C, D
