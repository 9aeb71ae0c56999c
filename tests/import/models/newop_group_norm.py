# IMPORT-TEST: check
# nn.GroupNorm with affine parameters (an op of branch newops: skipped until this build has it).
import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    def __init__(self, groups, channels):
        super().__init__()
        self.gn = nn.GroupNorm(groups, channels, eps=1e-4)

    def forward(self, x):
        return self.gn(x)


batch_size = 8
groups = 4
channels = 16
length = 30


def get_inputs():
    return [torch.randn(batch_size, channels, length)]


def get_init_inputs():
    return [groups, channels]
