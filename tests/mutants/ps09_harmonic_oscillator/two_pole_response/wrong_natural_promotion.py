# Wrong: relies on torch's promotion, so a complex128 pole with a float32 grid comes back complex64.
def two_pole_response(pole, omega):
    s = 1j * omega
    return 1 / ((s - pole) * (s - pole.conj()))
