# IMPORT-TEST: exit=2 stderr="raises_in_forward.py:13: capturing forward() with torch.export raised ValueError: the model refuses this input"
# A model whose forward raises: one line with the Python message.
import torch
import torch.nn as nn


class Model(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, x):
        if x.shape[0] > 0:
            raise ValueError("the model refuses this input")
        return x


def get_inputs():
    return [torch.randn(4, 4)]


def get_init_inputs():
    return []
