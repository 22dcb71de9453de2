"""The Figure 6 grid of the quick ResNet notebook (ResNet paper section 4.2) in PyTorch, the reference for
bench/fig6_grid.ts: plain and residual CIFAR-style nets (widths 8/16/32, batch norm, projection shortcuts where the
shape changes) on 28x28x1 inputs, DEPTHS x SEEDS runs of STEPS momentum-SGD steps each, one after another.
Usage: python3 torch_fig6_grid.py THREADS STEPS BATCH DEPTHS(8,20,44) SEEDS(1,2); prints one JSON line.
Inputs are random tensors of the benchmark's shapes (the timing does not depend on the pixel values)."""
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, cin, cout, stride, residual):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.b1 = nn.BatchNorm2d(cout)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.b2 = nn.BatchNorm2d(cout)
        self.residual = residual
        self.proj = None
        if residual and (stride > 1 or cin != cout):
            self.proj = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = self.b2(self.c2(F.relu(self.b1(self.c1(x)))))
        if self.residual:
            y = y + (self.proj(x) if self.proj is not None else x)
        return F.relu(y)


class Net(nn.Module):
    def __init__(self, depth, residual, widths=(8, 16, 32), classes=10):
        super().__init__()
        n = (depth - 2) // 6
        self.conv = nn.Conv2d(1, widths[0], 3, 1, 1, bias=False)
        self.bn = nn.BatchNorm2d(widths[0])
        layers, cin = [], widths[0]
        for i, w in enumerate(widths):
            for j in range(n):
                layers.append(Block(cin, w, 2 if (i > 0 and j == 0) else 1, residual))
                cin = w
        self.blocks = nn.Sequential(*layers)
        self.fc = nn.Linear(widths[-1], classes)

    def forward(self, x):
        x = self.blocks(F.relu(self.bn(self.conv(x))))
        return self.fc(x.mean((2, 3)))


def main():
    threads, steps, batch = (int(a) for a in sys.argv[1:4])
    depths = [int(d) for d in sys.argv[4].split(",")]
    seeds = [int(s) for s in sys.argv[5].split(",")]
    torch.set_num_threads(threads)
    t0 = time.perf_counter()
    runs = []
    for seed in seeds:
        for residual in (False, True):
            for depth in depths:
                torch.manual_seed(seed)
                model = Net(depth, residual)
                opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
                x = torch.rand(batch, 1, 28, 28)
                y = torch.arange(batch) % 10
                r0 = time.perf_counter()
                for _ in range(steps):
                    opt.zero_grad()
                    loss = F.cross_entropy(model(x), y)
                    loss.backward()
                    opt.step()
                runs.append({"depth": depth, "residual": residual, "seed": seed, "s": time.perf_counter() - r0})
    print(json.dumps({"threads": threads, "seconds": time.perf_counter() - t0, "runs": runs, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
