# Wrong: masks in numpy and converts back, which cuts the autograd graph.
def remove_above_nyquist(amplitudes, frequencies):
    masked = np.where(frequencies.detach().numpy() >= np.pi, 0.0, amplitudes.detach().numpy())
    return torch.from_numpy(masked.astype(amplitudes.detach().numpy().dtype))
