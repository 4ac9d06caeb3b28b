# Wrong: filters with scipy on numpy copies and converts back: right values, but no gradient reaches x or a.
def allpole_direct(x, a):
    a_np = a.detach().numpy()
    y = scipy.signal.lfilter([1.0], np.concatenate([[1.0], a_np]), x.detach().numpy(), axis=-1)
    return torch.from_numpy(y).to(x.dtype)
