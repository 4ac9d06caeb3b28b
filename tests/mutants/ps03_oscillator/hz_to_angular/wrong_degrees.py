# Wrong: degrees per sample (360 instead of 2*pi).
def hz_to_angular(f_hz, sample_rate=16000):
    return 360.0 * f_hz / sample_rate
