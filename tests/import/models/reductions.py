# IMPORT-TEST: check
# Reductions along dims, with and without keepdim; argmax; cumsum; norms.
import torch
import torch.nn as nn


class Model(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.dim = dim

    def forward(self, x):
        return (torch.sum(x, dim=self.dim), x.mean(dim=(1, 2), keepdim=True),
                torch.max(x, dim=2)[0], torch.min(x, dim=1, keepdim=True)[0],
                torch.argmax(x, dim=self.dim), torch.argmin(x, dim=2),
                torch.amax(x, dim=0), torch.cumsum(x, dim=1),
                torch.prod(x / 100.0, dim=1), torch.norm(x, dim=2),
                torch.linalg.vector_norm(x, ord=1, dim=1), torch.sum(x),
                torch.max(x, dim=1)[1])


batch_size = 12
rows = 17
cols = 33
reduce_dim = 1


def get_inputs():
    return [torch.randn(batch_size, rows, cols)]


def get_init_inputs():
    return [reduce_dim]
