# Wrong: a free-running simulation of the string (block by block, excitation taken from the target's first period) under waveform MSE, Adam on delay and loss: it slips by whole periods and stalls
def fit_plucked_string(target, sample_rate, init_delay, init_loss, n_iter=300, lr=0.05, history=None,
                       progress=False):
    y = target.detach().to(torch.float64)
    n_total = y.shape[0]
    delay = torch.tensor(float(init_delay), dtype=torch.float64, requires_grad=True)
    loss = torch.tensor(float(init_loss), dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.Adam([delay, loss], lr=lr)
    d0 = math.floor(init_delay)
    x = y[:d0]

    def simulate():
        d = math.floor(delay.item())
        f = delay - d
        ys = F.pad(x, (0, max(d - x.shape[0], 0)))[:d]       # the first d samples: the excitation
        avg = (ys + F.pad(ys[:-1], (1, 0))) / 2
        while ys.shape[0] < n_total:
            m = ys.shape[0]
            a = F.pad(avg, (1, 0))                           # a[i + 1] = avg[i], avg[-1] = 0
            cur, prev = a[m - d + 1:m + 1], a[m - d:m]       # avg[n - d] and avg[n - d - 1], n = m .. m + d - 1
            new = loss * ((1 - f) * cur + f * prev)
            new_avg = (new + torch.cat([ys[-1:], new[:-1]])) / 2
            ys = torch.cat([ys, new])
            avg = torch.cat([avg, new_avg])
        return ys[:n_total]

    for _ in range(n_iter):
        objective = ((simulate() - y) ** 2).mean()
        optimizer.zero_grad()
        objective.backward()
        optimizer.step()
    return delay.item(), loss.item()
