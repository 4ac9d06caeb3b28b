# Wrong: follows the DDSP library's argument order (frequencies first), the reverse of the spec's.
def remove_above_nyquist(frequencies, amplitudes):
    return torch.where(frequencies >= math.pi, torch.zeros_like(amplitudes), amplitudes)
