# IMPORT-TEST: exit=2 stderr="unsupported: aten.floor (unsupported_ops.py:14)" stderr="aten.trunc (unsupported_ops.py:15)" stderr="aten.view: view from [7, 9] to [63] (the spec has no reshape op) (unsupported_ops.py:16)"
# Every unsupported op is listed, each with its line in this file; no spec
# is written.
import torch
import torch.nn as nn


class Model(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, x):
        y = torch.relu(x)
        y = torch.floor(y)
        y = torch.trunc(y)
        return y.view(-1)


batch_size = 7
dim = 9


def get_inputs():
    return [torch.randn(batch_size, dim)]


def get_init_inputs():
    return []
