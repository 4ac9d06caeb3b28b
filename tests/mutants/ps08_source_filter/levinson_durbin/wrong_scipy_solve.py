# Solves the Toeplitz system with scipy on numpy data: right values, no gradients, no batching.
def levinson_durbin(r, order):
    import scipy.linalg
    rn = r.detach().numpy()
    a = -scipy.linalg.solve_toeplitz(rn[:order], rn[1:order + 1])
    error = rn[0] + a @ rn[1:order + 1]
    return torch.tensor(a, dtype=r.dtype), torch.tensor(error, dtype=r.dtype)
