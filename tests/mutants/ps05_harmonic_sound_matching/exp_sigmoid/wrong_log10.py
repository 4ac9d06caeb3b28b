# Wrong: the exponent is log10(exponent) (= 1 for the default) instead of the natural log ln(exponent).
def exp_sigmoid(x, exponent=10.0, max_value=2.0, threshold=1e-7):
    return max_value * torch.sigmoid(x) ** math.log10(exponent) + threshold
