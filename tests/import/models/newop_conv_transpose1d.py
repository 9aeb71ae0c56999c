# IMPORT-TEST: check
# nn.ConvTranspose1d with stride, padding, dilation (an op of branch newops: skipped until this build has it).
import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.ConvTranspose1d(cin, cout, 3, stride=2, padding=1, dilation=2)

    def forward(self, x):
        return self.conv(x)


batch_size = 4
cin = 6
cout = 10
length = 30


def get_inputs():
    return [torch.randn(batch_size, cin, length)]


def get_init_inputs():
    return [cin, cout]
