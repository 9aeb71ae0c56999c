# IMPORT-TEST: check
# nn.TripletMarginLoss (an op of branch newops: skipped until this build has it).
import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.loss = nn.TripletMarginLoss(margin=0.5)

    def forward(self, x):
        return self.loss(x, x * 0.5 + 1, -x)


batch_size = 16
dim = 20


def get_inputs():
    return [torch.randn(batch_size, dim)]


def get_init_inputs():
    return []
