# Wrong: cycles per sample (forgets the 2*pi): Nyquist comes out as 0.5 instead of pi.
def hz_to_angular(f_hz, sample_rate=16000):
    return f_hz / sample_rate
