# Alternative: computes in float64 and casts back to the input's dtype.
def exp_sigmoid(x, exponent=10.0, max_value=2.0, threshold=1e-7):
    s = torch.sigmoid(x.to(torch.float64))
    return (max_value * torch.pow(s, math.log(exponent)) + threshold).to(x.dtype)
