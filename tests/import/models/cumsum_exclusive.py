# IMPORT-TEST: check
# An exclusive cumsum written as zeros then the cumsum of all but the last
# element (the pattern of KernelBench level 1's 92_cumsum_exclusive):
# imported as cumsum with exclusive=True.
import torch
import torch.nn as nn


class Model(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.dim = dim

    def forward(self, x):
        n = x.size(self.dim)
        c = torch.cumsum(x.narrow(dim=self.dim, start=0, length=n - 1),
                         dim=self.dim)
        z = torch.zeros_like(x.select(self.dim, 0).unsqueeze(self.dim))
        return torch.cat((z, c), dim=self.dim)


batch_size = 10
length = 24
reduce_dim = 1


def get_inputs():
    return [torch.randn(batch_size, length, 3)]


def get_init_inputs():
    return [reduce_dim]
