# IMPORT-TEST: check
# Elementwise activations and arithmetic with Python scalars (several
# outputs). gelu's erf is judged against the output's scale (importcheck).
import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.act = nn.LeakyReLU(0.2)

    def forward(self, x):
        return (torch.relu(x), self.act(x), F.hardtanh(x, -2.0, 3.0),
                torch.sigmoid(x), torch.tanh(x), F.gelu(x),
                F.gelu(x, approximate="tanh"), F.elu(x, alpha=0.5), F.selu(x),
                F.softplus(x, beta=2.0, threshold=10.0), F.silu(x), F.mish(x),
                F.hardsigmoid(x), F.relu6(x), F.softsign(x),
                torch.clamp(x, min=-0.5, max=0.25), torch.abs(x) * 0.1 - x / 3,
                torch.exp(x / 100), torch.log(torch.abs(x) + 1.0), -x,
                torch.maximum(x, x * 0.5), torch.where(x > 0.5, x, x * x),
                2.0 - x ** 2, 1.0 / (x + 2000.0))


batch_size = 16
dim = 1000


def get_inputs():
    return [torch.randn(batch_size, dim)]


def get_init_inputs():
    return []
