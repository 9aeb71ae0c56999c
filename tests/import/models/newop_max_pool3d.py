# IMPORT-TEST: check
# nn.MaxPool3d with stride and padding (an op of branch newops: skipped until this build has it).
import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.pool = nn.MaxPool3d(3, stride=2, padding=1)

    def forward(self, x):
        return self.pool(x)


batch_size = 2
channels = 3
depth = 10
height = 12
width = 14


def get_inputs():
    return [torch.randn(batch_size, channels, depth, height, width)]


def get_init_inputs():
    return []
