# IMPORT-TEST: check
# einsum equations of matrix products (KernelBench level 1 11: bijl,lk->bijk)
# imported as matmul, with transposes where the contracted index is not
# last in A or first of the last two in B.
import torch
import torch.nn as nn


class Model(nn.Module):
    def forward(self, a, b, c, d):
        return (torch.einsum("bijl,lk->bijk", a, b),
                torch.einsum("bij,bjk->bik", c, d),
                torch.einsum("ij,kj->ik", b.t(), b.t()),
                torch.einsum("ji,jk->ik", b, b))


n = 10
i = 12
j = 14
l = 16
k = 18


def get_inputs():
    return [torch.randn(n, i, j, l), torch.randn(l, k),
            torch.randn(n, i, j), torch.randn(n, j, k)]


def get_init_inputs():
    return []
