# IMPORT-TEST: check
# Patterns the importer writes with existing spec ops: a reverse cumsum
# (flip, cumsum, flip), squeezes after a keepdim reduction, a parameter
# seen through a view, a 0-d tensor constant (a literal), x * bool mask,
# unsqueeze + avg_pool1d + squeeze, adaptive average pooling by a factor.
import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.bias = nn.Parameter(torch.randn(channels))

    def forward(self, x, mask, r):
        a = torch.cumsum(r.flip(1), dim=1).flip(1)
        b = x.mean(dim=(2, 3), keepdim=True).squeeze(-1).squeeze(-1)
        c = x + self.bias.view(1, -1, 1, 1)
        d = torch.min(x, torch.tensor(0.25))
        e = torch.cumsum(r * mask, dim=1)
        f = F.avg_pool1d(r.unsqueeze(1), kernel_size=2).squeeze(1)
        g = F.adaptive_avg_pool2d(x, (5, 3))
        return a, b, c, d, e, f, g


batch_size = 6
channels = 9
height = 10
width = 12
length = 16


def get_inputs():
    return [torch.randn(batch_size, channels, height, width),
            torch.rand(batch_size, length) > 0.5,
            torch.randn(batch_size, length)]


def get_init_inputs():
    return [channels]
