# IMPORT-TEST: exit=2 stderr="defines no 'get_inputs'"
# A file without get_inputs(): a one-line error.
import torch.nn as nn


class Model(nn.Module):
    def forward(self, x):
        return x


def get_init_inputs():
    return []
