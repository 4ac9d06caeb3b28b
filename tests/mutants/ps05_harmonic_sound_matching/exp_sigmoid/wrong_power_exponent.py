# Wrong: raises the sigmoid to the exponent itself (10) instead of ln(exponent).
def exp_sigmoid(x, exponent=10.0, max_value=2.0, threshold=1e-7):
    return max_value * torch.sigmoid(x) ** exponent + threshold
