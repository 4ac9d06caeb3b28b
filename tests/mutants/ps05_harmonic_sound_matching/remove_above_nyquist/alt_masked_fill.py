# Alternative: masked_fill (out of place) with torch.pi.
def remove_above_nyquist(amplitudes, frequencies):
    return amplitudes.masked_fill(frequencies >= torch.pi, 0.0)
