# Wrong: ignores the sample_rate argument (hard-coded 16 kHz).
import math


def hz_to_angular(f_hz, sample_rate=16000):
    return 2 * math.pi * f_hz / 16000
