# IMPORT-TEST: check
# max and average pooling (1-d, 2-d, padding, stride), adaptive average
# pooling to 1x1 (a mean) and adaptive max pooling to 1.
import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.mp = nn.MaxPool2d(3, stride=2, padding=1)
        self.ap = nn.AvgPool2d(2)

    def forward(self, x, s):
        return (self.mp(x), self.ap(x), F.max_pool1d(s, 4, stride=3),
                F.avg_pool1d(s, 3, stride=1, padding=1,
                             count_include_pad=False),
                F.adaptive_avg_pool2d(x, 1), F.adaptive_max_pool2d(x, 1))


batch_size = 8
channels = 6
height = 20
width = 28
length = 64


def get_inputs():
    return [torch.randn(batch_size, channels, height, width),
            torch.randn(batch_size, channels, length)]


def get_init_inputs():
    return []
