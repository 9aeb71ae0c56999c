# IMPORT-TEST: check
# nn.InstanceNorm2d with affine parameters (an op of branch newops: skipped until this build has it).
import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.norm = nn.InstanceNorm2d(channels, affine=True)

    def forward(self, x):
        return self.norm(x)


batch_size = 4
channels = 12
height = 20
width = 24


def get_inputs():
    return [torch.randn(batch_size, channels, height, width)]


def get_init_inputs():
    return [channels]
