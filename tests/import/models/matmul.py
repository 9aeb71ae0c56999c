# IMPORT-TEST: check
# Linear (bias), mm with a transposed operand, bmm, batched broadcast
# matmul, matrix-vector.
import torch
import torch.nn as nn


class Model(nn.Module):
    def __init__(self, k, n):
        super().__init__()
        self.fc = nn.Linear(k, n)

    def forward(self, a, b, c, v):
        return (self.fc(a), torch.mm(a, b.T), torch.bmm(c, c.transpose(1, 2)),
                torch.matmul(c, b.T), torch.matmul(a, v), a.t() @ a)


M = 24
K = 40
N = 20
batch_size = 10


def get_inputs():
    return [torch.randn(M, K), torch.randn(N, K), torch.randn(batch_size, M, K),
            torch.randn(K)]


def get_init_inputs():
    return [K, N]
