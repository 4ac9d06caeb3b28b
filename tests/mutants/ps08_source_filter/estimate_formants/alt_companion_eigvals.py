# Valid: roots as eigenvalues of the companion matrix in torch float64, the rule applied with torch ops.
def estimate_formants(frame, sample_rate, order, n_formants=3):
    with torch.no_grad():
        a = lpc(frame.to(torch.float64), order)
        p = a.shape[-1]
        companion = torch.zeros(p, p, dtype=torch.float64)
        companion[0] = -a
        companion[1:, :-1] = torch.eye(p - 1, dtype=torch.float64)
        z = torch.linalg.eigvals(companion)
        z = z[z.imag > 0]
        freq = torch.angle(z) * sample_rate / (2 * math.pi)
        bw = -(sample_rate / math.pi) * torch.log(z.abs())
        freq = torch.sort(freq[(bw < 400) & (freq > 90)]).values[:n_formants]
        out = torch.full((n_formants,), float("nan"), dtype=torch.float64)
        out[:freq.shape[0]] = freq
    return out.to(frame.dtype)
