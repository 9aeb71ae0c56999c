"""One handler per ATen op (overload packet name): maps its arguments to
spec ops (ops.Mapped.emit), attrs named as in torch.nn.functional and
docs/semantics.md. A handler raises ops.Unsupported for what the spec
cannot express exactly; composites are noted where they are used.
"""
import operator

from ops import Unsupported, lit, meta_shape, normalize, ints

H = {}


def handler(*names):
    def reg(f):
        for n in names:
            H[n] = f
        return f
    return reg


class Multi:
    """An op with several results (max.dim: values and indices)."""

    def __init__(self, parts):
        self.parts = parts  # index -> thunk returning a spec value

    def get(self, i):
        if i not in self.parts or self.parts[i] is None:
            raise Unsupported("result %d of this op" % i)
        return self.parts[i]()


def handle(m, node, args, kwargs, eval_mode):
    if node.target is operator.getitem:
        base, i = args
        if not isinstance(base, Multi):
            raise Unsupported("indexing")
        return base.get(i)
    t = node.target
    packet = getattr(getattr(t, "overloadpacket", None), "__name__", None)
    if packet is None or packet not in H:
        raise Unsupported("")
    a = normalize(t, args, kwargs)
    a["_args"] = args
    a["_node"] = node
    a["_eval"] = eval_mode
    r = H[packet](m, a, packet)
    if isinstance(r, str):
        shape = meta_shape(node)
        if shape is not None:
            m.shapes.setdefault(r, shape)
    return r


def x0(a):
    return a["_args"][0]


def out_shape(a):
    return meta_shape(a["_node"])


def operand(m, v):
    if isinstance(v, str):
        return v
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return lit(v)
    raise Unsupported("an operand of type %s" % type(v).__name__)


def dtype_of(m, v):
    return m.dtypes.get(v, "float32") if isinstance(v, str) else "float32"


# --- elementwise ---------------------------------------------------------

SAME = ["relu", "sigmoid", "tanh", "exp", "log", "abs", "neg", "silu", "mish",
        "selu", "hardsigmoid", "hardswish", "relu6", "logical_not", "sqrt"]


@handler(*SAME)
def unary(m, a, name):
    x = x0(a)
    return m.emit(name, [x], hint=name,
                  dtype="bool" if name == "logical_not" else "float32")


@handler("gelu")
def gelu(m, a, _):
    return m.emit("gelu", [x0(a)], {"approximate": a.get("approximate",
                                                          "none")})


@handler("leaky_relu")
def leaky_relu(m, a, _):
    return m.emit("leaky_relu", [x0(a)],
                  {"negative_slope": float(a["negative_slope"])})


@handler("hardtanh")
def hardtanh(m, a, _):
    return m.emit("hardtanh", [x0(a)], {"min_val": float(a["min_val"]),
                                        "max_val": float(a["max_val"])})


@handler("softplus")
def softplus(m, a, _):
    return m.emit("softplus", [x0(a)], {"beta": float(a["beta"]),
                                        "threshold": float(a["threshold"])})


@handler("elu")
def elu(m, a, _):
    if float(a["scale"]) != 1 or float(a["input_scale"]) != 1:
        raise Unsupported("elu with scale or input_scale other than 1")
    return m.emit("elu", [x0(a)], {"alpha": float(a["alpha"])})


@handler("clamp", "clamp_min", "clamp_max")
def clamp(m, a, name):
    x = x0(a)
    lo = a.get("min") if name != "clamp_max" else None
    hi = a.get("max") if name != "clamp_min" else None
    if name == "clamp_max":
        hi = a["_args"][1]
    if name == "clamp_min":
        lo = a["_args"][1]
    if isinstance(lo, str) or isinstance(hi, str):
        if not (isinstance(lo, str) and isinstance(hi, str)):
            raise Unsupported("clamp with one tensor bound")
        return m.emit("clamp", [x, lo, hi])
    attrs = {}
    if lo is not None:
        attrs["min"] = float(lo)
    if hi is not None:
        attrs["max"] = float(hi)
    if not attrs:
        raise Unsupported("clamp without bounds")
    return m.emit("clamp", [x], attrs)


def binary(m, name, x, y):
    dx, dy = dtype_of(m, x), dtype_of(m, y)
    if name == "mul" and {dx, dy} == {"float32", "bool"}:
        # x * mask: PyTorch promotes the mask to 1.0/0.0; x * 1 is x and
        # x * 0 keeps the sign and NaN, so this is where(mask, x, x * 0).
        f, b = (x, y) if dx == "float32" else (y, x)
        zero = m.emit("mul", [f, 0.0])
        return m.emit("where", [b, f, zero])
    if dx != "float32" or dy != "float32":
        raise Unsupported("%s of %s and %s (float32 arithmetic only)" %
                          (name, dx, dy))
    return m.emit(name, [operand(m, x), operand(m, y)])


def scaled(m, y, alpha):
    if alpha is None or float(alpha) == 1:
        return y
    # PyTorch's vectorised add/sub with alpha is one fused multiply-add; the
    # spec's mul then add rounds twice: only equal up to a tolerance.
    m.inexact.append("add/sub with alpha (PyTorch fuses the multiply-add)")
    return m.emit("mul", [operand(m, y), lit(alpha)])


@handler("add", "sub", "subtract")
def add_sub(m, a, name):
    name = "sub" if name == "subtract" else name
    x, y = a["_args"][0], a["_args"][1]
    return binary(m, name, x, scaled(m, y, a.get("alpha")))


@handler("rsub")
def rsub(m, a, _):
    x, y = a["_args"][0], a["_args"][1]
    return binary(m, "sub", y, scaled(m, x, a.get("alpha")))


@handler("mul", "multiply")
def mul(m, a, _):
    return binary(m, "mul", a["_args"][0], a["_args"][1])


@handler("div", "divide", "true_divide")
def div(m, a, _):
    if a.get("rounding_mode") is not None:
        raise Unsupported("div with rounding_mode")
    return binary(m, "div", a["_args"][0], a["_args"][1])


@handler("minimum", "maximum")
def minmax2(m, a, name):
    return binary(m, name, a["_args"][0], a["_args"][1])


@handler("gt", "ge", "lt", "le", "eq", "ne")
def compare(m, a, name):
    x, y = a["_args"][0], a["_args"][1]
    return m.emit(name, [operand(m, x), operand(m, y)], dtype="bool")


@handler("logical_and", "logical_or")
def logical(m, a, name):
    return m.emit(name, [a["_args"][0], a["_args"][1]], dtype="bool")


@handler("where")
def where(m, a, _):
    if len(a["_args"]) != 3:
        raise Unsupported("where with one argument")
    c, x, y = a["_args"]
    return m.emit("where", [c, operand(m, x), operand(m, y)])


@handler("pow")
def pow_(m, a, _):
    x, e = a["_args"][0], a["_args"][1]
    if not isinstance(x, str) or isinstance(e, str):
        raise Unsupported("pow with a tensor exponent")
    e = float(e)
    # PyTorch's pow kernel: x*x for 2, x*x*x for 3, 1/x for -1, 1/(x*x)
    # for -2.
    if e == 1:
        return x
    if e == 2:
        return m.emit("mul", [x, x])
    if e == 3:
        return m.emit("mul", [m.emit("mul", [x, x]), x])
    if e == -1:
        return m.emit("div", [1.0, x])
    if e == -2:
        return m.emit("div", [1.0, m.emit("mul", [x, x])])
    raise Unsupported("pow with exponent %g" % e)


@handler("square")
def square(m, a, _):
    return m.emit("mul", [x0(a), x0(a)])


@handler("rsqrt")
def rsqrt(m, a, _):
    # 1 / sqrt(x): PyTorch's vectorised rsqrt differs from it by an ulp for
    # about 13% of inputs (measured): only equal up to a tolerance
    m.inexact.append("rsqrt as 1/sqrt(x) (PyTorch's vectorised rsqrt "
                     "rounds its own way)")
    return m.emit("div", [1.0, m.emit("sqrt", [x0(a)])])


@handler("reciprocal")
def reciprocal(m, a, _):
    return m.emit("div", [1.0, x0(a)])


# --- data movement and identities ----------------------------------------

@handler("contiguous", "clone", "alias", "detach", "detach_",
         "lift_fresh_copy",
         "_assert_tensor_metadata")
def identity(m, a, name):
    return x0(a)


@handler("_to_copy", "to")
def to_copy(m, a, _):
    x = x0(a)
    if out_shape(a) != m.shapes.get(x) or str(
            a["_node"].meta["val"].dtype).replace("torch.", "") != \
            dtype_of(m, x):
        raise Unsupported("a dtype conversion")
    return x


@handler("dropout", "feature_dropout", "alpha_dropout", "native_dropout")
def dropout(m, a, name):
    p, train = float(a.get("p", 0)), a.get("train", True)
    if p == 0 or not train:
        if p != 0:
            m.notes.append("Dropout is identity (eval mode)")
        return x0(a) if name != "native_dropout" else Multi({0: lambda: x0(a)})
    raise Unsupported("%s with p=%g in training mode is nondeterministic "
                      "(use --eval to import it as identity)" % (name, p))


class Unsqueezed:
    """x.unsqueeze(1) of a 2-d x: seen only by a 1-d pooling (which treats
    the 2-d x as an unbatched [C, L] input, pooling each row the same way)
    and a squeeze(1) after it."""

    def __init__(self, x):
        self.x = x


def wrapped(m, a, y):
    m.shapes[y] = tuple(d for i, d in enumerate(out_shape(a)) if i != 1)
    return Unsqueezed(y)


def pool_input(m, x, nd):
    """(the pooling's input, whether its result is to be re-wrapped)."""
    if isinstance(x, Unsqueezed):
        if nd != 1:
            raise Unsupported("a pooling of an unsqueezed tensor")
        return x.x, True
    return x, False


class KeepdimSqueeze:
    """A keepdim reduction some of whose kept size-1 dims were squeezed away
    (x.mean((2, 3), keepdim=True).squeeze(-1)): seen only by further
    squeezes, until all are gone and it is the reduction without keepdim."""

    def __init__(self, op, shape):
        self.op, self.shape = op, shape


def kept_dims(op, rank):
    d = op.get("attrs", {}).get("dim")
    d = list(range(rank)) if d is None else ([d] if isinstance(d, int)
                                             else d)
    return sorted(k % rank for k in d)


@handler("view", "reshape", "_unsafe_view", "flatten", "squeeze", "unsqueeze",
         "expand", "expand_as", "view_as", "reshape_as", "repeat")
def reshape(m, a, name):
    x = x0(a)
    target = out_shape(a)
    if isinstance(x, Selected):
        if name == "unsqueeze" and a["dim"] % (x.rank) == x.dim:
            return FirstSlice(x.x, x.dim)
        raise Unsupported("%s of a selected slice" % name)
    if isinstance(x, KeepdimSqueeze):
        op, shape = x.op, x.shape
    else:
        shape = m.shapes.get(x)
        op = next((o for o in m.ops if o["output"] == x), None)
    if target == shape and not isinstance(x, KeepdimSqueeze):
        return x
    if op is not None and op.get("attrs", {}).get("keepdim") and \
            name in ("squeeze", "view", "reshape", "flatten", "_unsafe_view"):
        full = m.shapes.get(op["output"])
        kept = kept_dims(op, len(full))
        without = tuple(d for k, d in enumerate(full) if k not in kept)
        if target == without:  # the reduction without keepdim
            attrs = dict(op["attrs"])
            del attrs["keepdim"]
            return m.emit(op["op"], op["inputs"], attrs,
                          dtype=m.dtypes.get(op["output"], "float32"))
        if name == "squeeze" and len(target) < len(shape) and \
                len(target) > len(without):
            return KeepdimSqueeze(op, target)
    if isinstance(x, Unsqueezed2):
        if name == "squeeze" and a.get("dim") is not None and \
                _dims_of(a) == [1]:
            return Unsqueezed(x.x)
        raise Unsupported("%s of x.unsqueeze(1).unsqueeze(1)" % name)
    if isinstance(x, Unsqueezed):
        if name in ("squeeze", "view", "reshape") and target == \
                m.shapes.get(x.x):
            return x.x
        if name == "unsqueeze" and a["dim"] % 3 == 1:
            return Unsqueezed2(x.x)
        raise Unsupported
    if name == "unsqueeze" and isinstance(x, str) and len(shape) == 2 and \
            a["dim"] % 3 == 1:
        return Unsqueezed(x)
    node = a["_node"].args[0]
    if isinstance(x, str) and (x in m.param_targets or x in m.user_inputs) \
            and len(node.users) == 1 and not m.ops_using(x):
        # A parameter or input seen only through this view: the spec input
        # is the viewed tensor (the same elements in the same order).
        m.shapes[x] = target
        return x
    raise Unsupported("%s from %s to %s (the spec has no reshape op)" %
                      (name, list(m.shapes.get(x, ())), list(out_shape(a))))


@handler("transpose")
def transpose(m, a, _):
    return m.emit("transpose", [x0(a)], {"dim0": int(a["dim0"]),
                                         "dim1": int(a["dim1"])})


@handler("t", "numpy_T")
def t_(m, a, _):
    x = x0(a)
    if len(m.shapes.get(x, ())) < 2:
        return x
    if len(m.shapes[x]) != 2:
        raise Unsupported("numpy_T of more than 2 dims")
    return m.emit("transpose", [x], {"dim0": 0, "dim1": 1})


@handler("permute")
def permute(m, a, _):
    x = x0(a)
    n = len(m.shapes[x])
    dims = [d % n for d in a["dims"]]
    cur = list(range(n))
    for i in range(n):  # a permutation as a sequence of swaps
        j = cur.index(dims[i])
        if j != i:
            x = m.emit("transpose", [x], {"dim0": i, "dim1": j})
            cur[i], cur[j] = cur[j], cur[i]
    return x


@handler("broadcast_tensors")
def broadcast_tensors(m, a, _):
    ts = a["_args"][0]
    shapes = {m.shapes.get(t) for t in ts}
    if len(shapes) != 1:
        raise Unsupported("broadcast_tensors of different shapes")
    return Multi({i: (lambda t=t: t) for i, t in enumerate(ts)})


# --- matmul ----------------------------------------------------------------

@handler("matmul", "mm", "bmm")
def matmul(m, a, _):
    return m.emit("matmul", [a["_args"][0], a["_args"][1]])


@handler("linear")
def linear(m, a, _):
    x, w, b = a["input"], a["weight"], a.get("bias")
    if len(m.shapes[w]) == 2:
        w = m.emit("transpose", [w], {"dim0": 0, "dim1": 1}, hint=w + "_t")
    y = m.emit("matmul", [x, w])
    return m.emit("add", [y, b]) if b is not None else y


@handler("addmm", "baddbmm", "addmv")
def addmm(m, a, _):
    c, p, q = a["_args"][0], a["_args"][1], a["_args"][2]
    y = scaled(m, m.emit("matmul", [p, q]), a.get("alpha"))
    return m.emit("add", [y, operand(m, scaled(m, c, a.get("beta")))])


# --- convolution and pooling ---------------------------------------------

def conv_emit(m, a, nd, transposed, x, w, b, stride, padding, dilation,
              groups, output_padding=None):
    k = m.shapes[w][2:]
    if isinstance(padding, str):
        if padding == "valid":
            padding = [0] * nd
        elif padding == "same" and all(s == 1 for s in ints(stride, nd)) and \
                all(d * (kk - 1) % 2 == 0 for d, kk in
                    zip(ints(dilation, nd), k)):
            padding = [d * (kk - 1) // 2 for d, kk in
                       zip(ints(dilation, nd), k)]
        else:
            raise Unsupported("padding='%s' that is not symmetric" % padding)
    attrs = {"stride": ints(stride, nd), "padding": ints(padding, nd),
             "dilation": ints(dilation, nd), "groups": int(groups)}
    name = "conv%dd" % nd
    if transposed:
        attrs["output_padding"] = ints(output_padding or 0, nd)
        name = "conv_transpose%dd" % nd
    ins = [x, w] + ([b] if b is not None else [])
    return m.emit(name, ins, attrs)


@handler("conv1d", "conv2d", "conv3d")
def conv(m, a, name):
    return conv_emit(m, a, int(name[4]), False, a["input"], a["weight"],
                     a.get("bias"), a["stride"], a["padding"], a["dilation"],
                     a["groups"])


@handler("conv_transpose1d", "conv_transpose2d", "conv_transpose3d")
def conv_t(m, a, name):
    return conv_emit(m, a, int(name[-2]), True, a["input"], a["weight"],
                     a.get("bias"), a["stride"], a["padding"], a["dilation"],
                     a["groups"], a["output_padding"])


@handler("convolution", "_convolution")
def convolution(m, a, _):
    nd = len(m.shapes[a["weight"]]) - 2
    return conv_emit(m, a, nd, bool(a["transposed"]), a["input"], a["weight"],
                     a.get("bias"), a["stride"], a["padding"], a["dilation"],
                     a["groups"], a["output_padding"])


def pool_size(n, k, s, p, d, ceil):
    num = n + 2 * p - d * (k - 1) - 1
    out = (-(-num // s) if ceil else num // s) + 1
    if ceil and (out - 1) * s >= n + p:
        out -= 1
    return out


def ceil_ok(m, x, nd, k, s, p, d, ceil):
    """ceil_mode True is kept only where it gives floor mode's windows."""
    if not ceil:
        return True
    dims = m.shapes[x][-nd:]
    return all(pool_size(n, kk, ss, pp, dd, True) ==
               pool_size(n, kk, ss, pp, dd, False)
               for n, kk, ss, pp, dd in zip(dims, k, s, p, d))


@handler("max_pool1d", "max_pool2d", "max_pool3d",
         "max_pool2d_with_indices", "max_pool3d_with_indices")
def max_pool(m, a, name):
    nd = int(name[8])
    x, wrap = pool_input(m, x0(a), nd)
    k = ints(a["kernel_size"], nd)
    s = ints(a["stride"], nd) if a["stride"] else k
    p, d = ints(a["padding"], nd), ints(a["dilation"], nd)
    if not ceil_ok(m, x, nd, k, s, p, d, a["ceil_mode"]):
        raise Unsupported("ceil_mode=True where it adds a window")
    attrs = {"kernel_size": k, "stride": s, "padding": p, "dilation": d,
             "ceil_mode": False}
    if name.endswith("indices"):
        return Multi({0: lambda: m.emit("max_pool%dd" % nd, [x], attrs),
                      1: None})
    y = m.emit("max_pool%dd" % nd, [x], attrs)
    return wrapped(m, a, y) if wrap else y


@handler("avg_pool1d", "avg_pool2d", "avg_pool3d")
def avg_pool(m, a, name):
    nd = int(name[8])
    x, wrap = pool_input(m, x0(a), nd)
    k = ints(a["kernel_size"], nd)
    s = ints(a["stride"], nd) if a["stride"] else k
    p = ints(a["padding"], nd)
    if a.get("divisor_override") is not None:
        raise Unsupported("avg_pool with divisor_override")
    if not ceil_ok(m, x, nd, k, s, p, [1] * nd, a["ceil_mode"]):
        raise Unsupported("ceil_mode=True where it adds a window")
    y = m.emit(name, [x], {"kernel_size": k, "stride": s, "padding": p,
                           "ceil_mode": False,
                           "count_include_pad": bool(a["count_include_pad"])})
    return wrapped(m, a, y) if wrap else y


@handler("adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_avg_pool3d",
         "_adaptive_avg_pool2d", "_adaptive_avg_pool3d",
         "adaptive_max_pool1d", "adaptive_max_pool2d", "adaptive_max_pool3d")
def adaptive_pool(m, a, name):
    nd = int(name.rstrip("d")[-1])
    x = x0(a)
    ins = list(m.shapes[x][-nd:])
    outs = ints(a["output_size"], nd)
    is_max = "max" in name
    if outs == ins:
        y = x
    elif all(o == 1 for o in outs):
        dims = list(range(-nd, 0))
        if is_max:  # nested first-maximum reductions: the row-major first
            y = x
            for d in dims:
                y = m.emit("max", [y], {"dim": d, "keepdim": True})
        else:
            # the mean of the whole window (PyTorch: its sum / count)
            y = m.emit("mean", [x], {"dim": dims, "keepdim": True})
    elif all(i % o == 0 for i, o in zip(ins, outs)):
        k = [i // o for i, o in zip(ins, outs)]
        op = ("max_pool%dd" if is_max else "avg_pool%dd") % nd
        attrs = {"kernel_size": k, "stride": k, "padding": [0] * nd,
                 "ceil_mode": False}
        if is_max:
            attrs["dilation"] = [1] * nd
        y = m.emit(op, [x], attrs)
    else:
        raise Unsupported("%s from %s to %s (windows of different sizes)" %
                          (name, ins, outs))
    return Multi({0: lambda: y, 1: None}) if is_max else y


# --- reductions ------------------------------------------------------------

def dim_attrs(dim, keepdim):
    attrs = {}
    if dim is not None and dim != []:
        attrs["dim"] = dim if isinstance(dim, int) else [int(d) for d in dim]
    if keepdim:
        attrs["keepdim"] = True
    return attrs


@handler("sum", "mean")
def sum_mean(m, a, name):
    if a.get("dtype") is not None:
        raise Unsupported("%s with dtype" % name)
    return m.emit(name, [x0(a)], dim_attrs(a.get("dim"), a.get("keepdim")))


@handler("prod")
def prod(m, a, _):
    return m.emit("prod", [x0(a)], dim_attrs(a.get("dim"), a.get("keepdim")))


@handler("amax", "amin")
def amax(m, a, name):
    dims = list(a.get("dim") or [])
    op = "max" if name == "amax" else "min"
    if len(dims) <= 1:
        return m.emit(op, [x0(a)], dim_attrs(dims[0] if dims else None,
                                             a.get("keepdim")))
    raise Unsupported("%s over several dims" % name)


@handler("max", "min")
def max_min(m, a, name):
    x = x0(a)
    if len(a["_args"]) >= 2 and isinstance(a["_args"][1], (str, float)):
        return binary(m, "maximum" if name == "max" else "minimum", x,
                      a["_args"][1])
    if len(a["_args"]) == 1 and "dim" not in a["_node"].kwargs:
        return m.emit(name, [x])
    attrs = dim_attrs(int(a["dim"]), a.get("keepdim"))
    arg = "argmax" if name == "max" else "argmin"
    return Multi({0: lambda: m.emit(name, [x], attrs),
                  1: lambda: m.emit(arg, [x], attrs, dtype="int64")})


@handler("argmax", "argmin")
def argmax(m, a, name):
    return m.emit(name, [x0(a)], dim_attrs(a.get("dim"), a.get("keepdim")),
                  dtype="int64")


class Flipped:
    """flip(x, [d]) seen by its user: only cumsum along d, then flip back
    (a reverse cumsum: x.flip(d).cumsum(d).flip(d)), is supported."""

    def __init__(self, x, dim, rank):
        self.x, self.dim, self.rank = x, dim, rank


@handler("flip")
def flip(m, a, _):
    x = x0(a)
    if isinstance(x, Flipped):  # flip of a reverse cumsum's flip: undone
        if [d % x.rank for d in a["dims"]] == [x.dim]:
            return x.x
        raise Unsupported("flip")
    dims = list(a["dims"])
    if len(dims) != 1:
        raise Unsupported("flip of several dims")
    n = len(m.shapes[x])
    return Flipped(x, dims[0] % n, n)


@handler("cumsum", "cumprod")
def cumsum(m, a, name):
    if a.get("dtype") is not None:
        raise Unsupported("%s with dtype" % name)
    x = x0(a)
    if isinstance(x, Narrowed):
        if name != "cumsum" or int(a["dim"]) % x.rank != x.dim:
            raise Unsupported("%s of a narrowed tensor" % name)
        return ExclusiveScan(x.x, x.dim)
    if isinstance(x, Flipped):
        if name != "cumsum" or int(a["dim"]) % x.rank != x.dim:
            raise Unsupported("%s of a flipped tensor" % name)
        y = m.emit("cumsum", [x.x], {"dim": x.dim, "reverse": True})
        return Flipped(y, x.dim, x.rank)
    return m.emit(name, [x], {"dim": int(a["dim"])})


@handler("scaled_dot_product_attention")
def sdpa(m, a, _):
    q, k, v = a["_args"][:3]
    if a.get("attn_mask") is not None or float(a.get("dropout_p") or 0) or \
            a.get("is_causal") or a.get("enable_gqa"):
        raise Unsupported("scaled_dot_product_attention with a mask, "
                          "dropout, causal or GQA")
    e = m.shapes[q][-1]
    scale = a.get("scale")
    scale = float(scale) if scale is not None else 1.0 / (e ** 0.5)
    # softmax(q @ k^T * scale) @ v (PyTorch's math; its kernels scale and
    # sum in other orders: within the tolerance)
    kt = m.emit("transpose", [k], {"dim0": -2, "dim1": -1})
    s = m.emit("mul", [m.emit("matmul", [q, kt]), scale])
    p = m.emit("softmax", [s], {"dim": -1})
    return m.emit("matmul", [p, v])


@handler("logsumexp")
def logsumexp(m, a, _):
    d = list(a["dim"])
    attrs = {"dim": d[0] if len(d) == 1 else d}
    if a.get("keepdim"):
        attrs["keepdim"] = True
    return m.emit("logsumexp", [x0(a)], attrs)


def norm_p(p):
    p = float(p) if p is not None else 2.0
    if p == float("inf"):
        return "inf"
    if p in (1.0, 2.0):
        return p
    raise Unsupported("norm with p=%g" % p)


@handler("linalg_vector_norm", "norm")
def norm(m, a, name):
    if a.get("dtype") is not None:
        raise Unsupported("norm with dtype")
    p = a.get("ord") if name == "linalg_vector_norm" else a.get("p")
    attrs = {"p": norm_p(p)}
    attrs.update(dim_attrs(a.get("dim"), a.get("keepdim")))
    return m.emit("norm", [x0(a)], attrs)


@handler("softmax", "_softmax", "log_softmax", "_log_softmax")
def softmax(m, a, name):
    if a.get("dtype") is not None or a.get("half_to_float"):
        raise Unsupported("%s with dtype" % name)
    return m.emit(name.lstrip("_"), [x0(a)], {"dim": int(a["dim"])})


# --- normalisation -----------------------------------------------------------

def weight_bias(w, b):
    """Optional affine operands: a bias without a weight gets weight 1 (the
    multiplication by 1 is exact)."""
    if w is None and b is not None:
        w = 1.0
    return [v for v in (w, b) if v is not None]


@handler("batch_norm")
def batch_norm(m, a, _):
    x, w, b = a["input"], a["weight"], a["bias"]
    rm, rv = a["running_mean"], a["running_var"]
    eps = float(a["eps"])
    if a["training"] or rm is None:
        # Training mode: PyTorch normalises with the batch statistics
        # (the mean and the biased variance over every dim but the
        # channel dim 1); running statistics are updated as a side effect
        # that does not change the output.
        n = len(m.shapes[x])
        dims = [0] + list(range(2, n))
        mk = m.emit("mean", [x], {"dim": dims, "keepdim": True},
                    hint="batch_mean_k")
        d = m.emit("sub", [x, mk])
        var = m.emit("mean", [m.emit("mul", [d, d])], {"dim": dims},
                     hint="batch_var")
        mean = m.emit("mean", [x], {"dim": dims}, hint="batch_mean")
        m.notes.append("BatchNorm in training mode uses batch statistics")
        return m.emit("batch_norm", [x, mean, var] + weight_bias(w, b),
                      {"eps": eps})
    return m.emit("batch_norm", [x, rm, rv] + weight_bias(w, b), {"eps": eps})


class Unsqueezed2:
    """x.unsqueeze(1).unsqueeze(1) of a 2-d x [N, L]: seen only by an
    instance_norm without affine parameters or running statistics (which
    normalises each row of x over its L elements) and squeeze(1) twice
    after it."""

    def __init__(self, x):
        self.x = x


def _dims_of(a):
    d = a.get("dim")
    return [int(v) for v in d] if isinstance(d, (list, tuple)) else [int(d)]


@handler("instance_norm")
def instance_norm(m, a, _):
    x, w, b = a["input"], a["weight"], a["bias"]
    if isinstance(x, Unsqueezed2):
        if w is not None or b is not None or not a["use_input_stats"]:
            raise Unsupported("instance_norm of x.unsqueeze(1).unsqueeze(1) "
                              "with affine parameters or running statistics")
        # the statistics of each row of x: layer_norm over x's last dim,
        # the same function; the spec rounds it in layer_norm's form
        # (PyTorch's instance_norm computes its statistics in double), and
        # both need a tolerance
        m.notes.append("instance_norm of x.unsqueeze(1).unsqueeze(1) is "
                       "layer_norm of x's rows")
        y = m.emit("layer_norm", [x.x], {"normalized_ndim": 1,
                                         "eps": float(a["eps"])},
                   shape=m.shapes[x.x])
        return Unsqueezed2(y)
    if not a["use_input_stats"]:
        return m.emit("batch_norm", [x, a["running_mean"], a["running_var"]] +
                      weight_bias(w, b), {"eps": float(a["eps"])})
    return m.emit("instance_norm", [x] + weight_bias(w, b),
                  {"eps": float(a["eps"])})


@handler("group_norm")
def group_norm(m, a, _):
    return m.emit("group_norm", [a["input"]] + weight_bias(a["weight"],
                                                          a["bias"]),
                  {"num_groups": int(a["num_groups"]),
                   "eps": float(a["eps"])})


@handler("layer_norm")
def layer_norm(m, a, _):
    return m.emit("layer_norm", [a["input"]] + weight_bias(a["weight"],
                                                          a["bias"]),
                  {"normalized_ndim": len(a["normalized_shape"]),
                   "eps": float(a["eps"])})


@handler("rms_norm")
def rms_norm(m, a, _):
    attrs = {"normalized_ndim": len(a["normalized_shape"])}
    if a.get("eps") is not None:
        attrs["eps"] = float(a["eps"])
    ins = [a["input"]] + ([a["weight"]] if a.get("weight") is not None
                          else [])
    return m.emit("rms_norm", ins, attrs)


# Losses, einsum and the exclusive-cumsum pattern (registered on import).
from handlers_more import (ExclusiveScan, FirstSlice, Narrowed,  # noqa: E402
                           Selected)
