# IMPORT-TEST: check
# scaled_dot_product_attention without a mask (softmax(q k^T / sqrt(E)) v).
import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    def forward(self, q, k, v):
        return F.scaled_dot_product_attention(q, k, v)


batch_size = 2
heads = 3
seq = 12
embed = 16


def get_inputs():
    return [torch.randn(batch_size, heads, seq, embed),
            torch.randn(batch_size, heads, seq, embed),
            torch.randn(batch_size, heads, seq, embed)]


def get_init_inputs():
    return []
