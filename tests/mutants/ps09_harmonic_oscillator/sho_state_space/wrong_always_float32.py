# Wrong: always float32 (ignores the dtype of tensor inputs), though still differentiable.
def sho_state_space(k, m):
    k = torch.as_tensor(k, dtype=torch.float32)
    m = torch.as_tensor(m, dtype=torch.float32)
    zero = torch.zeros(())
    one = torch.ones(())
    A = torch.stack([torch.stack([zero, one]), torch.stack([-k / m, zero])])
    B = torch.stack([zero, 1 / m]).reshape(2, 1)
    C = torch.stack([one, zero]).reshape(1, 2)
    return A, B, C
