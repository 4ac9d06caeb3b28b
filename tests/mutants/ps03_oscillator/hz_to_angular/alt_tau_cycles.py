# Alternative: cycles per sample first, then times tau (= 2*pi).
import math


def hz_to_angular(f_hz, sample_rate=16000):
    cycles_per_sample = f_hz / sample_rate
    return math.tau * cycles_per_sample
