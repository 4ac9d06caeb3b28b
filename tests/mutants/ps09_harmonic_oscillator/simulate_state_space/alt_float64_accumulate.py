# Alternative: runs the recursion in float64 and casts the output back to the input dtype.
def simulate_state_space(A, B, C, u, x0):
    dtype = A.dtype
    A, B, C, u, x = A.double(), B.double(), C.double(), u.double(), x0.double()
    outputs = []
    for n in range(u.shape[0]):
        x = torch.mv(A, x) + torch.mv(B, u[n])
        outputs.append(torch.mv(C, x))
    return torch.cat(outputs).to(dtype)
