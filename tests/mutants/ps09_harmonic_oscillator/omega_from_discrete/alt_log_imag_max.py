# Alternative: Im(log(lambda)) of every eigenvalue in complex128, the largest magnitude, cast back.
def omega_from_discrete(A_d, dt):
    lam = torch.linalg.eigvals(A_d.double())
    return (torch.log(lam).imag.abs().max() / dt).to(A_d.dtype)
