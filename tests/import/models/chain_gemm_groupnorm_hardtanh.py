# IMPORT-TEST: check
# Level-2 style: Gemm, GroupNorm, HardTanh (needs the group_norm op).
import torch
import torch.nn as nn


class Model(nn.Module):
    def __init__(self, in_features, out_features, num_groups, lo, hi):
        super().__init__()
        self.gemm = nn.Linear(in_features, out_features)
        self.gn = nn.GroupNorm(num_groups, out_features)
        self.ht = nn.Hardtanh(min_val=lo, max_val=hi)

    def forward(self, x):
        return self.ht(self.gn(self.gemm(x)))


batch_size = 32
in_features = 64
out_features = 48
num_groups = 4
hardtanh_min = -2.0
hardtanh_max = 2.0


def get_inputs():
    return [torch.randn(batch_size, in_features)]


def get_init_inputs():
    return [in_features, out_features, num_groups, hardtanh_min, hardtanh_max]
