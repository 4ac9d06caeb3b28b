# The step-up with the opposite sign: a_new[i] = a[i] - k[m] a[m-1-i] (the other reflection convention).
def reflection_to_lpc(k):
    a = k[:0]
    for m in range(k.shape[-1]):
        a = torch.cat([a - k[m] * a.flip(0), k[m:m + 1]])
    return a
