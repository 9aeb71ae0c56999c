# IMPORT-TEST: check
# LayerNorm and RMSNorm (affine), BatchNorm2d in training mode (batch
# statistics).
import torch
import torch.nn as nn


class Model(nn.Module):
    def __init__(self, features, dim):
        super().__init__()
        self.bn = nn.BatchNorm2d(features)
        self.ln = nn.LayerNorm(dim)
        self.rms = nn.RMSNorm([features, dim], eps=1e-6)

    def forward(self, x, z):
        return self.bn(x), self.ln(z), self.rms(z)


batch_size = 16
features = 12
dim = 64


def get_inputs():
    return [torch.randn(batch_size, features, dim, dim // 4),
            torch.randn(batch_size, features, dim)]


def get_init_inputs():
    return [features, dim]
