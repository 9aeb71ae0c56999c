"""Random well-typed kernels for the elementwise spec ops (soundness campaign,
issue 10).

Each op has a list of formulas: ways, right and wrong, to compute it in
OpenCL C, many of them at the bit level (sign tests through as_int/as_uint/
signbit, fabs by masking, negation by xor, copysign, select() with int
masks, int min/max on float bits, fmin/fmax, isnan guards). A kernel is a
formula placed in a layout (guarded, early return, grid-stride loop, two
per work-item, float4 with a scalar tail, a helper function, size_t ids,
2-D). Whether the kernel is right is for the verifier to say; the campaign
checks the verifier's answer on the device.
"""

import os

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS_SPECS = os.path.join(HERE, "..", "corpus", "specs")
CAMPAIGN_SPECS = os.path.join(HERE, "specs")


class T:
    """Type context for a formula: scalar float or float4."""

    def __init__(self, width, v="v", w="w"):
        n = "" if width == 1 else str(width)
        self.width = width
        self.v, self.w = v, w
        self.F, self.I, self.U = "float" + n, "int" + n, "uint" + n
        self.ai, self.au, self.af = "as_int" + n, "as_uint" + n, "as_float" + n

    def k(self, lit):
        """A float constant of this type (vector literals need the cast where
        no scalar broadcast happens)."""
        return lit if self.width == 1 else "(%s)(%s)" % (self.F, lit)


def _f(*forms):
    return list(forms)


RELU = _f(
    lambda t: "{v} < 0.0f ? {z} : {v}".format(v=t.v, z=t.k("0.0f")),
    lambda t: "{v} > 0.0f ? {v} : {z}".format(v=t.v, z=t.k("0.0f")),
    lambda t: "{v} >= 0.0f ? {v} : {z}".format(v=t.v, z=t.k("0.0f")),
    lambda t: "fmax({v}, 0.0f)".format(v=t.v),
    lambda t: "max({v}, 0.0f)".format(v=t.v),
    lambda t: "{ai}({v}) < 0 ? {z} : {v}".format(ai=t.ai, v=t.v, z=t.k("0.0f")),
    lambda t: "signbit({v}) ? {z} : {v}".format(v=t.v, z=t.k("0.0f")),
    lambda t: "({au}({v}) >> 31) ? {z} : {v}".format(au=t.au, v=t.v, z=t.k("0.0f")),
    lambda t: "{au}({v}) > 0x80000000u ? {z} : {v}".format(au=t.au, v=t.v, z=t.k("0.0f")),
    lambda t: "{af}({ai}({v}) & ~({ai}({v}) >> 31))".format(af=t.af, ai=t.ai, v=t.v),
    lambda t: "{af}(max({ai}({v}), 0))".format(af=t.af, ai=t.ai, v=t.v),
    lambda t: "isnan({v}) ? {v} : fmax({v}, 0.0f)".format(v=t.v),
    lambda t: "isless({v}, 0.0f) ? {z} : {v}".format(v=t.v, z=t.k("0.0f")),
    lambda t: "select({v}, {z}, {m})".format(v=t.v, z=t.k("0.0f"), m=("%s < 0.0f" % t.v) if t.width > 1 else "(int)(%s < 0.0f)" % t.v),
    lambda t: "select({v}, {z}, {ai}({v}) >> 31)".format(v=t.v, z=t.k("0.0f"), ai=t.ai),
    lambda t: "select({v}, {z}, signbit({v}))".format(v=t.v, z=t.k("0.0f")),
    lambda t: "({ai}({v}) < 0 && !isnan({v})) ? {z} : {v}".format(ai=t.ai, v=t.v, z=t.k("0.0f")),
    lambda t: "(({au}({v}) & 0x7fffffffu) > 0x7f800000u) ? {v} : ({v} < 0.0f ? {z} : {v})".format(au=t.au, v=t.v, z=t.k("0.0f")),
    lambda t: "0.5f * ({v} + fabs({v}))".format(v=t.v),
    lambda t: "{v} * ({F})({v} >= 0.0f)".format(v=t.v, F=t.F) if t.width == 1 else "{v} * convert_float4(-({v} >= 0.0f))".format(v=t.v),
    lambda t: "{v} < 0.0f ? copysign(0.0f, 1.0f) : {v}".format(v=t.v) if t.width == 1 else "{v} < 0.0f ? copysign({z}, {z}) : {v}".format(v=t.v, z=t.k("0.0f")),
    lambda t: "!({v} >= 0.0f) && !isnan({v}) ? {z} : {v}".format(v=t.v, z=t.k("0.0f")),
    lambda t: "{af}({ai}({v}) & ({ai}({v}) >> 31 ^ -1))".format(af=t.af, ai=t.ai, v=t.v),
    # NaN-class probes: each wrong on one NaN encoding only
    lambda t: "({au}({v}) > 0xff800000u && {au}({v}) < 0xffc00000u) || {v} < 0.0f ? {z} : {v}".format(au=t.au, v=t.v, z=t.k("0.0f")),
    lambda t: "{au}({v}) == 0x7fc00001u || {v} < 0.0f ? {z} : {v}".format(au=t.au, v=t.v, z=t.k("0.0f")),
    lambda t: "({au}({v}) != 0x7fc00000u && isnan({v})) || {v} < 0.0f ? {z} : {v}".format(au=t.au, v=t.v, z=t.k("0.0f")),
)

HARDTANH = _f(
    lambda t: "{v} < -1.0f ? {m} : ({v} > 1.0f ? {p} : {v})".format(v=t.v, m=t.k("-1.0f"), p=t.k("1.0f")),
    lambda t: "{v} > 1.0f ? {p} : {v} < -1.0f ? {m} : {v}".format(v=t.v, m=t.k("-1.0f"), p=t.k("1.0f")),
    lambda t: "clamp({v}, -1.0f, 1.0f)".format(v=t.v),
    lambda t: "fmin(fmax({v}, -1.0f), 1.0f)".format(v=t.v),
    lambda t: "isnan({v}) ? {v} : clamp({v}, -1.0f, 1.0f)".format(v=t.v),
    lambda t: "fabs({v}) > 1.0f ? copysign({p}, {v}) : {v}".format(v=t.v, p=t.k("1.0f")),
    lambda t: "({au}({v}) & 0x7fffffffu) > 0x3f800000u ? copysign({p}, {v}) : {v}".format(au=t.au, v=t.v, p=t.k("1.0f")),
    lambda t: "(({au}({v}) & 0x7fffffffu) > 0x3f800000u && ({au}({v}) & 0x7fffffffu) <= 0x7f800000u) ? {af}(0x3f800000u | ({au}({v}) & 0x80000000u)) : {v}".format(au=t.au, af=t.af, v=t.v),
    lambda t: "max(min({v}, 1.0f), -1.0f)".format(v=t.v),
    lambda t: "({v} >= -1.0f && {v} <= 1.0f) ? {v} : ({v} < 0.0f ? {m} : {p})".format(v=t.v, m=t.k("-1.0f"), p=t.k("1.0f")),
    lambda t: "!({v} < -1.0f) ? (!({v} > 1.0f) ? {v} : {p}) : {m}".format(v=t.v, m=t.k("-1.0f"), p=t.k("1.0f")),
    lambda t: "{v} <= -1.0f ? {m} : ({v} >= 1.0f ? {p} : {v})".format(v=t.v, m=t.k("-1.0f"), p=t.k("1.0f")),
    lambda t: "{ai}({v}) > {ai}(1.0f) ? {p} : ({au}({v}) > {au}(-1.0f) ? {m} : {v})".format(ai=t.ai, au=t.au, v=t.v, m=t.k("-1.0f"), p=t.k("1.0f")),
    lambda t: "select(select({v}, {m}, {v} < -1.0f), {p}, {v} > 1.0f)".format(v=t.v, m=t.k("-1.0f"), p=t.k("1.0f")) if t.width > 1 else "select(select({v}, -1.0f, (int)({v} < -1.0f)), 1.0f, (int)({v} > 1.0f))".format(v=t.v),
    lambda t: "isgreater(fabs({v}), 1.0f) ? {af}({au}({p}) | ({au}({v}) & 0x80000000u)) : {v}".format(v=t.v, af=t.af, au=t.au, p=t.k("1.0f")),
)

LEAKY = _f(
    lambda t: "{v} > 0.0f ? {v} : {v} * 0.01f".format(v=t.v),
    lambda t: "{v} < 0.0f ? {v} * 0.01f : {v}".format(v=t.v),
    lambda t: "fmax({v}, 0.0f) + 0.01f * fmin({v}, 0.0f)".format(v=t.v),
    lambda t: "{v} * ({v} > 0.0f ? {o} : {s})".format(v=t.v, o=t.k("1.0f"), s=t.k("0.01f")),
    lambda t: "signbit({v}) ? {v} * 0.01f : {v}".format(v=t.v),
    lambda t: "{ai}({v}) > 0 ? {v} : {v} * 0.01f".format(ai=t.ai, v=t.v),
    lambda t: "{ai}({v}) < 0 ? {v} * 0.01f : {v}".format(ai=t.ai, v=t.v),
    lambda t: "{v} > 0.0f ? {v} : {v} / 100.0f".format(v=t.v),
    lambda t: "{v} > 0.0f ? {v} : {v} * 0.0099999998f".format(v=t.v),
    lambda t: "{v} > 0.0f ? {v} : mad({v}, 0.01f, 0.0f)".format(v=t.v) if t.width == 1 else "{v} > 0.0f ? {v} : mad({v}, {s}, {z})".format(v=t.v, s=t.k("0.01f"), z=t.k("0.0f")),
    lambda t: "{v} > 0.0f ? {v} : {v} * 0.01f + 0.0f".format(v=t.v),
    lambda t: "{v} > 0.0f ? {v} : {v} * 0.01f - 0.0f".format(v=t.v),
    lambda t: "({au}({v}) >> 31) == 0 ? {v} : {v} * 0.01f".format(au=t.au, v=t.v),
)

HARDSIGMOID = _f(
    lambda t: "({v} + 3.0f < 0.0f ? 0.0f : ({v} + 3.0f > 6.0f ? 6.0f : {v} + 3.0f)) / 6.0f".format(v=t.v) if t.width == 1 else None,
    lambda t: "clamp({v} + 3.0f, 0.0f, 6.0f) / 6.0f".format(v=t.v),
    lambda t: "clamp({v} + 3.0f, 0.0f, 6.0f) * (1.0f / 6.0f)".format(v=t.v),
    lambda t: "fmin(fmax({v} + 3.0f, 0.0f), 6.0f) / 6.0f".format(v=t.v),
    lambda t: "isnan({v}) ? {v} : clamp({v} + 3.0f, 0.0f, 6.0f) / 6.0f".format(v=t.v),
    lambda t: "isnan({v}) ? {v} : clamp({v} / 6.0f + 0.5f, 0.0f, 1.0f)".format(v=t.v),
    lambda t: "{ai}({v} + 3.0f) < 0 ? {z} : ({v} + 3.0f > 6.0f ? {o} : ({v} + 3.0f) / 6.0f)".format(ai=t.ai, v=t.v, z=t.k("0.0f"), o=t.k("1.0f")),
    lambda t: "({v} + 3.0f < 0.0f ? {z} : ({v} + 3.0f > 6.0f ? {s} : {v} + 3.0f)) / 6.0f".format(v=t.v, z=t.k("0.0f"), s=t.k("6.0f")),
)

ABS = _f(
    lambda t: "fabs({v})".format(v=t.v),
    lambda t: "{af}({au}({v}) & 0x7fffffffu)".format(af=t.af, au=t.au, v=t.v),
    lambda t: "{af}({ai}({v}) & 0x7fffffff)".format(af=t.af, ai=t.ai, v=t.v),
    lambda t: "{v} < 0.0f ? -{v} : {v}".format(v=t.v),
    lambda t: "signbit({v}) ? -{v} : {v}".format(v=t.v),
    lambda t: "copysign({v}, 1.0f)".format(v=t.v) if t.width == 1 else "copysign({v}, {o})".format(v=t.v, o=t.k("1.0f")),
    lambda t: "fmax({v}, -{v})".format(v=t.v),
    lambda t: "sqrt({v} * {v})".format(v=t.v),
    lambda t: "{ai}({v}) < 0 ? -{v} : {v}".format(ai=t.ai, v=t.v),
    lambda t: "{v} <= 0.0f ? 0.0f - {v} : {v}".format(v=t.v),
    lambda t: "{af}({au}({v}) << 1 >> 1)".format(af=t.af, au=t.au, v=t.v),
    lambda t: "{af}(({au}({v}) & 0x80000000u) ^ {au}({v}))".format(af=t.af, au=t.au, v=t.v),
)

NEG = _f(
    lambda t: "-{v}".format(v=t.v),
    lambda t: "0.0f - {v}".format(v=t.v),
    lambda t: "-0.0f - {v}".format(v=t.v),
    lambda t: "{af}({au}({v}) ^ 0x80000000u)".format(af=t.af, au=t.au, v=t.v),
    lambda t: "{v} * -1.0f".format(v=t.v),
    lambda t: "copysign({v}, -{v})".format(v=t.v),
    lambda t: "{af}({ai}({v}) + (int)0x80000000)".format(af=t.af, ai=t.ai, v=t.v),
    lambda t: "{af}(~{au}({v}) ^ 0x7fffffffu)".format(af=t.af, au=t.au, v=t.v),
    lambda t: "signbit({v}) ? fabs({v}) : -fabs({v})".format(v=t.v),
)

CLAMP = _f(
    lambda t: "{v} < -0.5f ? {m} : ({v} > 2.0f ? {p} : {v})".format(v=t.v, m=t.k("-0.5f"), p=t.k("2.0f")),
    lambda t: "clamp({v}, -0.5f, 2.0f)".format(v=t.v),
    lambda t: "isnan({v}) ? {v} : clamp({v}, -0.5f, 2.0f)".format(v=t.v),
    lambda t: "fmin(fmax({v}, -0.5f), 2.0f)".format(v=t.v),
    lambda t: "{ai}({v}) > {ai}(2.0f) ? {p} : ({au}({v}) > {au}(-0.5f) && {au}({v}) <= 0xff800000u ? {m} : {v})".format(ai=t.ai, au=t.au, v=t.v, m=t.k("-0.5f"), p=t.k("2.0f")),
    lambda t: "{v} > 2.0f ? {p} : ({v} < -0.5f ? {m} : {v})".format(v=t.v, m=t.k("-0.5f"), p=t.k("2.0f")),
    lambda t: "{v} >= 2.0f ? {p} : ({v} <= -0.5f ? {m} : {v})".format(v=t.v, m=t.k("-0.5f"), p=t.k("2.0f")),
)

RELU6 = _f(
    lambda t: "{v} < 0.0f ? {z} : ({v} > 6.0f ? {s} : {v})".format(v=t.v, z=t.k("0.0f"), s=t.k("6.0f")),
    lambda t: "clamp({v}, 0.0f, 6.0f)".format(v=t.v),
    lambda t: "isnan({v}) ? {v} : clamp({v}, 0.0f, 6.0f)".format(v=t.v),
    lambda t: "{ai}({v}) < 0 ? {z} : ({v} > 6.0f ? {s} : {v})".format(ai=t.ai, v=t.v, z=t.k("0.0f"), s=t.k("6.0f")),
    lambda t: "signbit({v}) ? {z} : fmin({v}, 6.0f)".format(v=t.v, z=t.k("0.0f")),
    lambda t: "{ai}({v}) > {ai}(6.0f) ? ({ai}({v}) > 0x7f800000 ? {v} : {s}) : ({ai}({v}) < 0 && {v} != 0.0f ? {z} : {v})".format(ai=t.ai, v=t.v, z=t.k("0.0f"), s=t.k("6.0f")),
    lambda t: "{af}(min({ai}({v}) & ~({ai}({v}) >> 31), {ai}(6.0f)))".format(af=t.af, ai=t.ai, v=t.v) if t.width == 1 else None,
)

MAXIMUM = _f(
    lambda t: "fmax({v}, {w})".format(v=t.v, w=t.w),
    lambda t: "{v} > {w} ? {v} : {w}".format(v=t.v, w=t.w),
    lambda t: "isnan({v}) || isnan({w}) ? {v} + {w} : fmax({v}, {w})".format(v=t.v, w=t.w),
    lambda t: "({v} > {w} || isnan({v})) ? {v} : (({w} > {v} || isnan({w})) ? {w} : (signbit({v}) ? {w} : {v}))".format(v=t.v, w=t.w),
    lambda t: "isnan({v} + {w}) ? {v} + {w} : ({v} == {w} ? {af}({au}({v}) & {au}({w})) : fmax({v}, {w}))".format(v=t.v, w=t.w, af=t.af, au=t.au),
    lambda t: "{ai}({v}) > {ai}({w}) ? {v} : {w}".format(ai=t.ai, v=t.v, w=t.w),
)

MINIMUM = _f(
    lambda t: "fmin({v}, {w})".format(v=t.v, w=t.w),
    lambda t: "{v} < {w} ? {v} : {w}".format(v=t.v, w=t.w),
    lambda t: "isnan({v}) || isnan({w}) ? {v} + {w} : fmin({v}, {w})".format(v=t.v, w=t.w),
    lambda t: "({v} < {w} || isnan({v})) ? {v} : (({w} < {v} || isnan({w})) ? {w} : (signbit({v}) ? {v} : {w}))".format(v=t.v, w=t.w),
    lambda t: "isnan({v} + {w}) ? {v} + {w} : ({v} == {w} ? {af}({au}({v}) | {au}({w})) : fmin({v}, {w}))".format(v=t.v, w=t.w, af=t.af, au=t.au),
    lambda t: "{ai}({v}) < {ai}({w}) ? {v} : {w}".format(ai=t.ai, v=t.v, w=t.w),
)

# threshold: (mask expression, y expression given the int mask c)
THRESHOLD_MASK = [
    "v > t", "isgreater(v, t)", "(v - t) > 0.0f", "!(v <= t)", "as_int(v) > as_int(t)",
    "v > t && !isnan(v)", "(as_int(v) > as_int(t)) == (as_int(v) >= 0 || as_int(t) >= 0) && v != t && !isnan(v - t)",
    "fmax(v, t) == v && v != t", "t < v", "signbit(t - v) && v != t",
]
THRESHOLD_Y = [
    "c ? v : 0.0f", "select(0.0f, v, c)", "c ? v : -0.0f", "as_float(as_int(v) & -c)",
    "v * (float)c", "c ? v : 0.0f * v",
]

UNARY = {
    "relu": ("corpus", "relu.json", RELU),
    "relu_nozs": ("campaign", "relu_nozs.json", RELU),
    "hardtanh": ("corpus", "hardtanh.json", HARDTANH),
    "leaky_relu": ("corpus", "leaky_relu.json", LEAKY),
    "hardsigmoid": ("corpus", "hardsigmoid.json", HARDSIGMOID),
    "abs": ("campaign", "abs.json", ABS),
    "neg": ("campaign", "neg.json", NEG),
    "clamp": ("campaign", "clamp.json", CLAMP),
    "relu6": ("campaign", "relu6.json", RELU6),
}
BINARY = {
    "maximum": ("campaign", "maximum.json", MAXIMUM),
    "minimum": ("campaign", "minimum.json", MINIMUM),
}


def spec_path(where, name):
    return os.path.join(CORPUS_SPECS if where == "corpus" else CAMPAIGN_SPECS, name)


# ---------------------------------------------------------------- layouts


def _unary_layouts(name, formula, rng, binary):
    """(kernel text, manifest launches) per layout for one formula."""
    s1 = formula(T(1))
    s4 = formula(T(4))
    params = "__global const float *x, __global const float *w, __global float *y, const int n" if binary \
        else "__global const float *x, __global float *y, const int n"
    args = ["x", "w", "y", "N"] if binary else ["x", "y", "N"]
    load = "float v = x[%s];" + (" float w = w_in;" if False else "")

    def loads(idx, indent):
        s = "%sfloat v = x[%s];\n" % (indent, idx)
        if binary:
            s += "%sfloat w = w_[%s];\n" % (indent, idx)
        return s

    params = params.replace("const float *w,", "const float *w_,")
    out = []
    if s1:
        out.append(("if", (
            "__kernel void k(%s) {\n  int i = get_global_id(0);\n  if (i < n) {\n%s    y[i] = %s;\n  }\n}\n"
            % (params, loads("i", "    "), s1)), [{"kernel": "k", "args": args, "global": ["N"]}]))
        out.append(("early", (
            "__kernel void k(%s) {\n  const int i = get_global_id(0);\n  if (i >= n)\n    return;\n%s  const float r = %s;\n  y[i] = r;\n}\n"
            % (params, loads("i", "  "), s1)), [{"kernel": "k", "args": args, "global": ["N"]}]))
        out.append(("stride", (
            "__kernel void k(%s) {\n  for (int i = get_global_id(0); i < n; i += get_global_size(0)) {\n%s    y[i] = %s;\n  }\n}\n"
            % (params, loads("i", "    "), s1)), [{"kernel": "k", "args": args, "global": ["(N+2)/3"]}]))
        out.append(("two", (
            "__kernel void k(%s) {\n  int g = get_global_id(0);\n  for (int i = 2 * g; i < 2 * g + 2 && i < n; ++i) {\n%s    y[i] = %s;\n  }\n}\n"
            % (params, loads("i", "    "), s1)), [{"kernel": "k", "args": args, "global": ["(N+1)/2"]}]))
        hp = "float v, float w" if binary else "float v"
        ha = "v, w" if binary else "v"
        out.append(("helper", (
            "float op_f(%s) {\n  return %s;\n}\n\n__kernel void k(%s) {\n  size_t i = get_global_id(0);\n  if (i < (size_t)n) {\n%s    y[i] = op_f(%s);\n  }\n}\n"
            % (hp, s1, params, loads("i", "    "), ha)), [{"kernel": "k", "args": args, "global": ["N"]}]))
    if s4 and s1:
        wl = "    float4 w = vload4(g, w_);\n" if binary else ""
        out.append(("vec4", (
            "__kernel void k(%s) {\n  int g = get_global_id(0);\n  int i = g * 4;\n  if (i + 4 <= n) {\n    float4 v = vload4(g, x);\n%s    vstore4(%s, g, y);\n  } else {\n    for (int j = i; j < n; ++j) {\n%s      y[j] = %s;\n    }\n  }\n}\n"
            % (params, wl, s4, loads("j", "      "), s1)), [{"kernel": "k", "args": args, "global": ["(N+3)/4"]}]))
        wl = "    float4 w = ((__global const float4 *)w_)[g];\n" if binary else ""
        out.append(("vec4ptr", (
            "__kernel void k(%s) {\n  int g = get_global_id(0);\n  if (4 * g + 3 < n) {\n    float4 v = ((__global const float4 *)x)[g];\n%s    ((__global float4 *)y)[g] = %s;\n  } else {\n    for (int j = 4 * g; j < n; j++) {\n%s      y[j] = %s;\n    }\n  }\n}\n"
            % (params, wl, s4, loads("j", "      "), s1)), [{"kernel": "k", "args": args, "global": ["(N+3)/4"]}]))
    return out


def _threshold_kernels():
    out = []
    for mi, m in enumerate(THRESHOLD_MASK):
        for yi, yexpr in enumerate(THRESHOLD_Y):
            src = (
                "__kernel void k(__global const float *x, const float t, __global float *y,\n"
                "                __global uchar *mask, const int n) {\n"
                "  int i = get_global_id(0);\n  if (i < n) {\n    float v = x[i];\n"
                "    int c = %s;\n    mask[i] = (uchar)c;\n    y[i] = %s;\n  }\n}\n" % (m, yexpr))
            out.append(("threshold/m%d_y%d" % (mi, yi), src,
                        [{"kernel": "k", "args": ["x", "t", "y", "mask", "N"], "global": ["N"]}]))
    return out


def _hardtanh_2d_kernels():
    out = []
    for fi, f in enumerate(HARDTANH):
        s1 = f(T(1))
        src = (
            "__kernel void k(__global const float *x, __global float *y, const int m, const int kk) {\n"
            "  int c = get_global_id(0);\n  int r = get_global_id(1);\n"
            "  if (r < m && c < kk) {\n    float v = x[r * kk + c];\n    y[r * kk + c] = %s;\n  }\n}\n" % s1)
        out.append(("hardtanh_2d/f%d" % fi, src,
                    [{"kernel": "k", "args": ["x", "y", "M", "K"], "global": ["K", "M"]}]))
    return out


def all_kernels(rng):
    """Every random-form kernel: [(name, spec path, manifest dict without
    source, kernel text)]. rng picks build options for hardsigmoid."""
    out = []
    for op, (where, spec, forms) in list(UNARY.items()) + list(BINARY.items()):
        binary = op in BINARY
        for fi, f in enumerate(forms):
            for lay, src, launches in _unary_layouts(op, f, rng, binary):
                man = {"launches": launches}
                if op == "hardsigmoid" and rng.random() < 0.7:
                    man["build_options"] = ["-cl-fp32-correctly-rounded-divide-sqrt"]
                out.append(("%s/f%d_%s" % (op, fi, lay), spec_path(where, spec), man, src))
    for name, src, launches in _threshold_kernels():
        out.append((name, spec_path("corpus", "threshold.json"), {"launches": launches}, src))
    for name, src, launches in _hardtanh_2d_kernels():
        out.append((name, spec_path("corpus", "hardtanh_2d.json"), {"launches": launches}, src))
    return out
