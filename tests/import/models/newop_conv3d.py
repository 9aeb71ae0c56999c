# IMPORT-TEST: check
# nn.Conv3d with stride and padding (an op of branch newops: skipped until this build has it).
import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv3d(cin, cout, 3, stride=2, padding=1)

    def forward(self, x):
        return self.conv(x)


batch_size = 2
cin = 3
cout = 10
depth = 10
height = 12
width = 14


def get_inputs():
    return [torch.randn(batch_size, cin, depth, height, width)]


def get_init_inputs():
    return [cin, cout]
