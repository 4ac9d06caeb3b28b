# Valid: keeps the whole triangle of predictors, row m being the order-(m+1) coefficients, in float64.
def reflection_to_lpc(k):
    p = k.shape[-1]
    k64 = k.to(torch.float64)
    rows = []
    prev = None
    for m in range(p):
        if prev is None:
            row = k64[:1]
        else:
            row = torch.cat([prev + k64[m] * torch.flip(prev, dims=[0]), k64[m].reshape(1)])
        rows.append(row)
        prev = row
    return rows[-1].to(k.dtype)
