# Wrong: reads the angle from the entries as if A_d were a rotation matrix: atan2(A_d[1,0], A_d[0,0]).
def omega_from_discrete(A_d, dt):
    return torch.atan2(A_d[1, 0], A_d[0, 0]).abs() / dt
