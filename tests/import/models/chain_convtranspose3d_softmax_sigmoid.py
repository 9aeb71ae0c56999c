# IMPORT-TEST: check
# Level-2 style: ConvTranspose3d, Softmax over channels, Sigmoid (needs the
# conv_transpose3d op).
import torch
import torch.nn as nn


class Model(nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride,
                 padding, output_padding):
        super().__init__()
        self.conv = nn.ConvTranspose3d(in_channels, out_channels, kernel_size,
                                       stride=stride, padding=padding,
                                       output_padding=output_padding)
        self.softmax = nn.Softmax(dim=1)
        self.sigmoid = nn.Sigmoid()

    def forward(self, x):
        return self.sigmoid(self.softmax(self.conv(x)))


batch_size = 2
in_channels = 4
out_channels = 6
D, H, W = 10, 12, 12
kernel_size = 3
stride = 2
padding = 1
output_padding = 1


def get_inputs():
    return [torch.randn(batch_size, in_channels, D, H, W)]


def get_init_inputs():
    return [in_channels, out_channels, kernel_size, stride, padding,
            output_padding]
