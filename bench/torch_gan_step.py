"""One GAN training iteration of Algorithm 1 (GAN section 4, k = 1) in PyTorch, the side-by-side reference of the
tfjs benchmark's gan_1 row (bench/gan_step.ts): the same MNIST-sized nets as lib/gan's buildImageGenerator and
buildImageDiscriminator (G: 100 -> 256 -> 256 -> 784, ReLU then sigmoid; D: input dropout 0.2, two maxout layers of
240 units x 5 pieces with dropout 0.5, a logit), momentum SGD (0.1, 0.5) on both, a discriminator step on a real and
a generated minibatch, then a generator step with the non-saturating loss.
Usage: python3 torch_gan_step.py THREADS BATCH WARMUP STEPS; prints one JSON line. Examples per second count both
minibatches of the D step, as gan_1 does."""
import json
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Maxout(nn.Module):
    def __init__(self, cin, units, pieces):
        super().__init__()
        self.lin = nn.Linear(cin, units * pieces)
        self.units, self.pieces = units, pieces

    def forward(self, x):
        # lib/gan/maxout.ts groups a unit's pieces as consecutive outputs: [rows, units, pieces]
        return self.lin(x).view(-1, self.units, self.pieces).max(dim=2).values


def main():
    threads, batch, warmup, steps = (int(a) for a in sys.argv[1:5])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    g = nn.Sequential(
        nn.Linear(100, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 784), nn.Sigmoid()
    )
    d = nn.Sequential(
        nn.Dropout(0.2), Maxout(784, 240, 5), nn.Dropout(0.5), Maxout(240, 240, 5), nn.Dropout(0.5), nn.Linear(240, 1)
    )
    d_opt = torch.optim.SGD(d.parameters(), lr=0.1, momentum=0.5)
    g_opt = torch.optim.SGD(g.parameters(), lr=0.1, momentum=0.5)
    real = torch.rand(batch, 784)
    times = []
    for i in range(warmup + steps):
        t0 = time.perf_counter()
        z = torch.rand(batch, 100) * 2 - 1
        with torch.no_grad():
            fake = g(z)
        # D: maximise log D(x) + log(1 - D(G(z))), i.e. minimise softplus(-t_real) + softplus(t_fake)
        d_opt.zero_grad()
        d_loss = F.softplus(-d(real)).mean() + F.softplus(d(fake)).mean()
        d_loss.backward()
        d_opt.step()
        # G: the non-saturating loss -log D(G(z)) = softplus(-t)
        g_opt.zero_grad()
        g_loss = F.softplus(-d(g(z))).mean()
        g_loss.backward()
        g_opt.step()
        float(d_loss)
        if i >= warmup:
            times.append(time.perf_counter() - t0)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({
        "threads": threads,
        "batch": batch,
        "step_ms": [t * 1000 for t in times],
        "examples_per_s": 2 * batch * len(times) / sum(times),
        "peak_rss_mb": peak,
        "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
