# IMPORT-TEST: exit=2 stderr="raises_in_init.py:11: Model(*get_init_inputs()) raised RuntimeError: no such layer size"
# A model whose __init__ raises: one line with the Python message.
import torch
import torch.nn as nn


class Model(nn.Module):
    def __init__(self, n):
        super().__init__()
        if n > 2:
            raise RuntimeError("no such layer size")

    def forward(self, x):
        return x


def get_inputs():
    return [torch.randn(4, 4)]


def get_init_inputs():
    return [3]
