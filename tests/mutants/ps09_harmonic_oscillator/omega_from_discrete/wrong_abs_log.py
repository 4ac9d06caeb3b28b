# Wrong: |log(lambda)| / dt, which mixes the decay (log|lambda|) into the frequency.
def omega_from_discrete(A_d, dt):
    lam = torch.linalg.eigvals(A_d)[0]
    return (torch.log(lam).abs() / dt).to(A_d.dtype)
