# IMPORT-TEST: check
# torch.triu / torch.tril with a diagonal, after a matmul (KernelBench level
# 1's 14 and 15, upper and lower triangular matrix products).
import torch
import torch.nn as nn


class Model(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, a, b):
        c = torch.matmul(a, b)
        return torch.triu(c) + torch.tril(c, diagonal=-1) * 0.5 + \
            torch.triu(a, diagonal=2)


n = 24


def get_inputs():
    return [torch.randn(n, n), torch.randn(n, n)]


def get_init_inputs():
    return []
