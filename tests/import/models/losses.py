# IMPORT-TEST: check
# mse, smooth L1 (huber with delta 1), cross entropy with class-index
# targets (an int64 input), a hinge loss written with clamp.
import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    def forward(self, pred, target, logits, labels):
        return (F.mse_loss(pred, target), F.smooth_l1_loss(pred, target),
                F.cross_entropy(logits, labels),
                F.mse_loss(pred, target, reduction="none"),
                torch.mean(torch.clamp(1 - pred * target, min=0)))


batch_size = 32
dim = 20
num_classes = 10


def get_inputs():
    return [torch.randn(batch_size, dim), torch.randn(batch_size, dim),
            torch.randn(batch_size, num_classes),
            torch.randint(0, num_classes, (batch_size,))]


def get_init_inputs():
    return []
