# Wrong: forgets to add the threshold, so very negative logits give exactly zero.
def exp_sigmoid(x, exponent=10.0, max_value=2.0, threshold=1e-7):
    return max_value * torch.sigmoid(x) ** math.log(exponent)
