# IMPORT-TEST: exit=2 stderr="aten.dropout: dropout with p=0.25 in training mode is nondeterministic (use --eval to import it as identity) (dropout_training.py:14)"
# Dropout with p > 0 in training mode (the default) is not a function of
# its input: unsupported unless --eval (batchnorm_eval.py).
import torch
import torch.nn as nn


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.drop = nn.Dropout(0.25)

    def forward(self, x):
        return torch.relu(self.drop(x))


def get_inputs():
    return [torch.randn(4, 4)]


def get_init_inputs():
    return []
