# IMPORT-TEST: check
# A hand-written RMS norm over the channel dim through sqrt (the pattern of
# KernelBench level 1's 36_RMSNorm_), and rsqrt (imported as 1/sqrt(x),
# with a tolerance: PyTorch's vectorised rsqrt rounds its own way).
import torch
import torch.nn as nn


class Model(nn.Module):
    def __init__(self, eps):
        super().__init__()
        self.eps = eps

    def forward(self, x):
        rms = torch.sqrt(torch.mean(x ** 2, dim=1, keepdim=True) + self.eps)
        inv = torch.rsqrt(torch.mean(x * x, dim=(2, 3)) + self.eps)
        return x / rms, inv, torch.sqrt(x)


batch_size = 6
features = 12
dim1 = 10
dim2 = 14


def get_inputs():
    return [torch.randn(batch_size, features, dim1, dim2)]


def get_init_inputs():
    return [1e-5]
