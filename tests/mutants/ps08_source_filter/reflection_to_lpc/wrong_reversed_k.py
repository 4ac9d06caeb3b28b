# Steps up with the reflection coefficients in reverse order (k[-1] first).
def reflection_to_lpc(k):
    k = k.flip(0)
    a = k[:0]
    for m in range(k.shape[-1]):
        a = torch.cat([a + k[m] * a.flip(0), k[m:m + 1]])
    return a
