# Wrong: exp(ln(b) * log(sigmoid(x))) is right in value, but log(0) = -inf once the float32 sigmoid
# underflows, and the backward pass gives 0 * inf = NaN at very negative logits.
def exp_sigmoid(x, exponent=10.0, max_value=2.0, threshold=1e-7):
    return max_value * torch.exp(math.log(exponent) * torch.log(torch.sigmoid(x))) + threshold
