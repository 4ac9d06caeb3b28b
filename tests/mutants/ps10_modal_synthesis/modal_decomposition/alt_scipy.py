# scipy's generalised symmetric solver in float64 (no gradients are required through the decomposition).
def modal_decomposition(K, M):
    import scipy.linalg
    eigenvalues, modes = scipy.linalg.eigh(K.detach().double().numpy(), M.detach().double().numpy())
    omegas = torch.from_numpy(eigenvalues).clamp(min=0.0).sqrt()
    return omegas.to(K.dtype), torch.from_numpy(modes).to(K.dtype)
