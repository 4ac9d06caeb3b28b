# Wrong: zeroes the input amplitudes in place (a side effect, and an error for leaves that require grad).
def remove_above_nyquist(amplitudes, frequencies):
    amplitudes[frequencies >= math.pi] = 0.0
    return amplitudes
