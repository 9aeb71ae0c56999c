# IMPORT-TEST: check
# torch.cumprod along a dim (an op of branch newops: skipped until this build has it).
import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        pass

    def forward(self, x):
        return torch.cumprod(x, dim=1)


batch_size = 16
dim = 40


def get_inputs():
    return [torch.randn(batch_size, dim)]


def get_init_inputs():
    return []
