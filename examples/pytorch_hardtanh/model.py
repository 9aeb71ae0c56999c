# A KernelBench-style PyTorch model (written for ksynth, in the shape of
# KernelBench level 1's HardTanh problem). torch.rand inputs lie in [0, 1),
# but `ksynth import` gives the spec the domain "finite": the identity cheat
# (../hardtanh/identity_cheat.cl) is refuted against it.
import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.hardtanh(x, min_val=-1.0, max_val=1.0)


batch_size = 4096
dim = 393216


def get_inputs():
    return [torch.rand(batch_size, dim)]


def get_init_inputs():
    return []
