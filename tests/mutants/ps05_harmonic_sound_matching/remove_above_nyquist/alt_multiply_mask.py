# Alternative: multiplies by the mask of the partials below Nyquist.
def remove_above_nyquist(amplitudes, frequencies):
    return amplitudes * (frequencies < math.pi).to(amplitudes.dtype)
