# IMPORT-TEST: check
# softmax and log_softmax over the last and a middle dim.
import torch
import torch.nn as nn


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.sm = nn.Softmax(dim=1)

    def forward(self, x):
        return self.sm(x), torch.log_softmax(x, dim=-1)


batch_size = 16
features = 64
length = 40


def get_inputs():
    return [torch.randn(batch_size, features, length)]


def get_init_inputs():
    return []
