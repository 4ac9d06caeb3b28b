# Wrong: casts the input to float32, so float64 inputs come back as float32.
def exp_sigmoid(x, exponent=10.0, max_value=2.0, threshold=1e-7):
    return max_value * torch.sigmoid(x.float()) ** math.log(exponent) + threshold
