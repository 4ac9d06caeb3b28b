# Wrong: torch.tensor([[...]]) around k and m: always float32 and detached from k and m.
def sho_state_space(k, m):
    k, m = float(k), float(m)
    A = torch.tensor([[0.0, 1.0], [-k / m, 0.0]])
    B = torch.tensor([[0.0], [1.0 / m]])
    C = torch.tensor([[1.0, 0.0]])
    return A, B, C
