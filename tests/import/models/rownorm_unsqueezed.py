# IMPORT-TEST: check
# InstanceNorm2d of x.unsqueeze(1).unsqueeze(1), then squeeze(1) twice
# (KernelBench level 2's 28): normalises each row of the 2-d x; imported
# as layer_norm over the last dim.
import torch
import torch.nn as nn


class Model(nn.Module):
    def __init__(self, fin, fout):
        super().__init__()
        self.fc = nn.Linear(fin, fout)
        self.norm = nn.InstanceNorm2d(fout, eps=1e-5)

    def forward(self, x, y):
        x = self.fc(x)
        x = self.norm(x.unsqueeze(1).unsqueeze(1)).squeeze(1).squeeze(1)
        return (x + y) * y


batch_size = 12
fin = 20
fout = 24


def get_inputs():
    return [torch.randn(batch_size, fin), torch.randn(batch_size, fout)]


def get_init_inputs():
    return [fin, fout]
