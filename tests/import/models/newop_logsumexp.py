# IMPORT-TEST: check
# torch.logsumexp over a dim, keepdim (an op of branch newops: skipped until this build has it).
import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        pass

    def forward(self, x):
        return torch.logsumexp(x, dim=1, keepdim=True)


batch_size = 16
dim = 100


def get_inputs():
    return [torch.randn(batch_size, dim)]


def get_init_inputs():
    return []
