"""More ATen op handlers (the registry and helpers are handlers.py's):
losses, einsum of one matrix product, triu/tril, and the exclusive-cumsum
pattern.
Imported at the end of handlers.py, so that registering them is part of
importing handlers.
"""
from handlers import dtype_of, handler, x0
from ops import REDUCTIONS, Unsupported


# --- triangular masks --------------------------------------------------------

@handler("triu", "tril")
def triangle(m, a, name):
    return m.emit(name, [x0(a)], {"diagonal": int(a.get("diagonal", 0))})


# --- losses ------------------------------------------------------------------

def reduction(a):
    return REDUCTIONS[int(a["reduction"])]


@handler("mse_loss")
def mse_loss(m, a, _):
    return m.emit("mse_loss", [a["_args"][0], a["_args"][1]],
                  {"reduction": reduction(a)})


@handler("huber_loss", "smooth_l1_loss")
def huber(m, a, name):
    delta = float(a["delta"] if name == "huber_loss" else a["beta"])
    if name == "smooth_l1_loss" and delta != 1.0:
        raise Unsupported("smooth_l1_loss with beta other than 1")
    return m.emit("huber_loss", [a["_args"][0], a["_args"][1]],
                  {"reduction": reduction(a), "delta": delta})


@handler("cross_entropy_loss")
def cross_entropy(m, a, _):
    x, t = a["_args"][0], a["_args"][1]
    if a.get("weight") is not None or float(a.get("label_smoothing") or 0):
        raise Unsupported("cross_entropy with class weights or label "
                          "smoothing")
    attrs = {"reduction": reduction(a)}
    if dtype_of(m, t) == "int64":
        attrs["ignore_index"] = int(a["ignore_index"])
        shape = m.shapes[x]
        c = shape[1] if len(shape) > 1 else shape[0]
        m.int_ranges[t] = (0, c - 1)
    return m.emit("cross_entropy", [x, t], attrs)


@handler("kl_div")
def kl_div(m, a, _):
    return m.emit("kl_div", [a["_args"][0], a["_args"][1]],
                  {"reduction": reduction(a),
                   "log_target": bool(a["log_target"])})


@handler("triplet_margin_loss")
def triplet(m, a, _):
    return m.emit("triplet_margin_loss", list(a["_args"][:3]),
                  {"margin": float(a["margin"]), "p": float(a["p"]),
                   "eps": float(a["eps"]), "swap": bool(a["swap"]),
                   "reduction": reduction(a)})


# --- einsum ------------------------------------------------------------------

@handler("einsum")
def einsum(m, a, _):
    """The einsum equations of matrix products, as matmul (with transposes
    of the operands' last two dims where the equation asks): two operands,
    one contracted index, the output the first operand's indices with the
    contracted one replaced by the second's free index (`bij,bjk->bik`,
    `bijl,lk->bijk`, `ij,kj->ik`). Any other equation is unsupported."""
    eq = a["equation"].replace(" ", "")
    ops_ = list(a["tensors"])
    if "->" not in eq or "." in eq or len(ops_) != 2:
        raise Unsupported("einsum '%s' (only matrix-product equations)" % eq)
    lhs, out = eq.split("->")
    sa, sb = lhs.split(",")
    x, y = ops_
    if len(set(sa)) != len(sa) or len(set(sb)) != len(sb) or \
            len(set(out)) != len(out):
        raise Unsupported("einsum '%s' with a repeated index" % eq)
    con = [c for c in sa if c in sb and c not in out]
    bad = Unsupported("einsum '%s' (only matrix-product equations)" % eq)
    if len(con) != 1 or len(sa) < 2 or len(sb) < 2:
        raise bad
    c = con[0]
    if sa[-1] != c and sa[-2] == c:
        x = m.emit("transpose", [x], {"dim0": -2, "dim1": -1})
        sa = sa[:-2] + sa[-1] + sa[-2]
    if sb[-2] != c and sb[-1] == c:
        y = m.emit("transpose", [y], {"dim0": -2, "dim1": -1})
        sb = sb[:-2] + sb[-1] + sb[-2]
    if sa[-1] != c or sb[-2] != c:
        raise bad
    # now A = P i c, B = Q c k; matmul broadcasts the batch dims from the
    # right, so Q must be a suffix of P, and the output P i k
    p_, i, q_, k = sa[:-2], sa[-2], sb[:-2], sb[-1]
    if k in sa or i in sb or (q_ and p_[len(p_) - len(q_):] != q_) or \
            len(q_) > len(p_) or out != p_ + i + k:
        raise bad
    return m.emit("matmul", [x, y])


# --- the exclusive cumsum pattern --------------------------------------------
# cat([zeros_like(x.select(d, 0).unsqueeze(d)), cumsum(x.narrow(d, 0, n - 1),
# d)], d) is cumsum(x, d, exclusive=True): y_0 = +0, y_i = x_0 + ... +
# x_{i-1} (docs/semantics.md "cumsum"). Each piece is held (not emitted)
# until the cat that completes the pattern; any other use is unsupported.

class Narrowed:
    """x.narrow(dim, 0, n - 1): seen only by cumsum along dim."""

    def __init__(self, x, dim, rank):
        self.x, self.dim, self.rank = x, dim, rank


class ExclusiveScan:
    """cumsum of x without its last element along dim."""

    def __init__(self, x, dim):
        self.x, self.dim = x, dim


class Selected:
    """x.select(dim, 0): seen only by unsqueeze(dim)."""

    def __init__(self, x, dim, rank):
        self.x, self.dim, self.rank = x, dim, rank


class FirstSlice:
    """x.select(dim, 0).unsqueeze(dim): seen only by zeros_like."""

    def __init__(self, x, dim):
        self.x, self.dim = x, dim


class ZeroSlice:
    """zeros_like of x's first slice along dim: seen only by the cat."""

    def __init__(self, x, dim):
        self.x, self.dim = x, dim


@handler("narrow")
def narrow(m, a, _):
    x = x0(a)
    if not isinstance(x, str):
        raise Unsupported("narrow")
    shape = m.shapes[x]
    d = int(a["dim"]) % len(shape)
    if int(a["start"]) != 0 or int(a["length"]) != shape[d] - 1:
        raise Unsupported("narrow other than dropping the last element "
                          "before a cumsum (an exclusive cumsum)")
    return Narrowed(x, d, len(shape))


@handler("select")
def select(m, a, _):
    x = x0(a)
    if not isinstance(x, str) or int(a["index"]) != 0:
        raise Unsupported("select (only the first slice whose zeros start "
                          "an exclusive cumsum)")
    n = len(m.shapes[x])
    return Selected(x, int(a["dim"]) % n, n)


@handler("zeros_like")
def zeros_like(m, a, _):
    x = x0(a)
    if not isinstance(x, FirstSlice):
        raise Unsupported("zeros_like (only the first element of an "
                          "exclusive cumsum)")
    return ZeroSlice(x.x, x.dim)


@handler("cat")
def cat(m, a, _):
    ts = list(a["tensors"])
    if len(ts) == 2 and isinstance(ts[0], ZeroSlice) and \
            isinstance(ts[1], ExclusiveScan) and ts[0].x == ts[1].x and \
            ts[0].dim == ts[1].dim:
        d = ts[0].dim
        if int(a["dim"]) % len(m.shapes[ts[0].x]) == d:
            return m.emit("cumsum", [ts[0].x], {"dim": d, "exclusive": True})
    raise Unsupported("cat (only zeros before a cumsum of all but the last "
                      "element: an exclusive cumsum)")
