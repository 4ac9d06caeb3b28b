# Wrong: masks only above pi (>), keeping a partial exactly at Nyquist.
def remove_above_nyquist(amplitudes, frequencies):
    return torch.where(frequencies > math.pi, torch.zeros_like(amplitudes), amplitudes)
