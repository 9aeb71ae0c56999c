# IMPORT-TEST: check args=--eval
# BatchNorm1d in eval mode (running statistics are spec inputs), and a
# Dropout that --eval makes the identity.
import torch
import torch.nn as nn


class Model(nn.Module):
    def __init__(self, features):
        super().__init__()
        self.bn = nn.BatchNorm1d(features)
        self.drop = nn.Dropout(0.3)

    def forward(self, x):
        return self.drop(self.bn(x))


batch_size = 32
features = 24
length = 50


def get_inputs():
    return [torch.randn(batch_size, features, length)]


def get_init_inputs():
    return [features]
