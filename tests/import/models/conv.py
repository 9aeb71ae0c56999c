# IMPORT-TEST: check
# conv1d and conv2d (stride, padding, dilation, groups, no bias) and
# conv_transpose2d.
import torch
import torch.nn as nn


class Model(nn.Module):
    def __init__(self, cin, cout, k):
        super().__init__()
        self.c1 = nn.Conv1d(cin, cout, k, stride=2, padding=1)
        self.c2 = nn.Conv2d(cin, cout, k, padding=2, dilation=2, bias=False)
        self.c3 = nn.Conv2d(cin, cin, k, stride=(2, 1), groups=cin)
        self.t2 = nn.ConvTranspose2d(cin, cout, k, stride=2, padding=1,
                                     output_padding=1)

    def forward(self, x1, x2):
        return self.c1(x1), self.c2(x2), self.c3(x2), self.t2(x2)


batch_size = 4
in_channels = 3
out_channels = 10
kernel_size = 3
length = 40
height = 16
width = 20


def get_inputs():
    return [torch.randn(batch_size, in_channels, length),
            torch.randn(batch_size, in_channels, height, width)]


def get_init_inputs():
    return [in_channels, out_channels, kernel_size]
