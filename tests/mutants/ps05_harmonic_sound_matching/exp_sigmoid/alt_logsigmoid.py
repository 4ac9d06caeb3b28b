# Alternative: exp(ln(b) * logsigmoid(x)), numerically stable in both tails.
def exp_sigmoid(x, exponent=10.0, max_value=2.0, threshold=1e-7):
    return max_value * torch.exp(math.log(exponent) * F.logsigmoid(x)) + threshold
