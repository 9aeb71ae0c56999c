# IMPORT-TEST: exit=2 stderr="unsupported: aten.einsum: einsum 'ij,jk,kl->il' (only matrix-product equations) (unsupported_einsum.py:12)"
# An einsum that is not one matrix product is refused with the
# unsupported-op error (a matrix-product einsum imports: einsum.py).
import torch
import torch.nn as nn


class Model(nn.Module):
    def forward(self, a, b, c):
        y = torch.einsum("ij,jk->ik", a, b)
        z = torch.relu(y)
        return torch.einsum("ij,jk,kl->il", a, b, c) + z


n = 10


def get_inputs():
    return [torch.randn(n, n), torch.randn(n, n), torch.randn(n, n)]


def get_init_inputs():
    return []
