"""Capture a model file at several sizes and assemble the spec.

The file's module-level integer globals (batch_size, in_channels, dim, ...)
are its sizes. The model is captured at the file's own values (the
deployment shape, on the meta device: nothing is allocated), at a small
verification binding (odd sizes where the model accepts them) and at a
second small binding that only serves to tell the dims' roles apart: every
input dim becomes an integer expression of the globals that agrees at all
three captures (`batch_size`, `in_channels/groups`, `2*dim`, a constant).
"""
import os

import torch

import magnitude
import ops
from ksynth_import import ImportFailure, fail, load_module, python_error

# Globals at or below this value are kept (kernel sizes, strides, groups,
# small channel counts); larger ones are sizes and are scaled down.
KEEP_AT_MOST = 8

# The most input elements the check data is made for (--check-data) when
# the model has no smaller shape than the file's.
CHECK_MAX_ELEMENTS = 1 << 24

# Small-value schemes, tried in order until the model captures with the
# same ops and attrs as at the deployment sizes. Each: (values for the
# verification binding, values for the role-disambiguation binding).
SCHEMES = [
    ([7, 9, 11, 13, 15, 17, 19, 21, 23, 25], [9, 11, 13, 15, 17, 19, 21, 23, 25, 27]),
    ([8, 12, 16, 20, 24, 28, 32, 36, 40, 44], [12, 16, 20, 24, 28, 32, 36, 40, 44, 48]),
    ([16, 32, 48, 64, 80, 96, 112, 128, 144, 160], [32, 48, 64, 80, 96, 112, 128, 144, 160, 176]),
]


# ksynth's limit on a tensor's elements (docs/spec-format.md).
MAX_ELEMENTS = 1 << 31


def max_numel(ep):
    most = 0
    for n in ep.graph.nodes:
        v = n.meta.get("val")
        vals = v if isinstance(v, (list, tuple)) else [v]
        for t in vals:
            if isinstance(t, torch.Tensor):
                most = max(most, t.numel())
    return most


class Capture:
    def __init__(self, values, model, inputs, ep):
        self.values = values  # global name -> int
        self.model = model
        self.inputs = inputs
        self.ep = ep


def build(mod, path, values, device, eval_mode, seed=0):
    mod = load_module(path, values)
    torch.manual_seed(seed)
    ctx = torch.device(device)
    with ctx:
        try:
            init = list(mod.get_init_inputs())
        except Exception as e:
            fail(python_error("get_init_inputs()", e, path))
        try:
            model = mod.Model(*init)
        except Exception as e:
            fail(python_error("Model(*get_init_inputs())", e, path))
        try:
            inputs = list(mod.get_inputs())
        except Exception as e:
            fail(python_error("get_inputs()", e, path))
    if not isinstance(model, torch.nn.Module):
        fail("%s: Model(...) is not a torch.nn.Module" % path)
    if eval_mode:
        model.eval()
    try:
        with cpu_scalar_constants(device):
            ep = export(model, inputs)
    except ImportFailure:
        raise
    except Exception as e:
        if device == "meta":
            raise
        fail(python_error("capturing forward() with torch.export", e, path))
    return Capture(values, model, inputs, ep)


class cpu_scalar_constants:
    """On the meta device, torch.tensor(0.5) in forward() would have no
    value: 0-d constants are made on the CPU (PyTorch lets a 0-d CPU
    tensor meet any device's tensor), so that they become literals."""

    def __init__(self, device):
        self.device = device

    def __enter__(self):
        self.orig = torch.tensor
        if self.device == "meta":
            orig = self.orig

            def tensor(data, *a, **k):
                t = orig(data, *a, **dict(k, device="cpu"))
                return t if t.dim() == 0 else orig(data, *a, **k)
            torch.tensor = tensor

    def __exit__(self, *exc):
        torch.tensor = self.orig
        return False


def export(model, inputs):
    try:
        ep = torch.export.export(model, tuple(inputs))
    except Exception as e:
        first = e
        try:
            ep = torch.export.export(model, tuple(inputs), strict=True)
        except Exception:
            raise first
    return ep


def capture_at(mod, path, values, eval_mode, real):
    """A capture at `values`: on the meta device (nothing allocated), or
    with real tensors (needed for the check data), falling back to real
    tensors when the meta device cannot run the model."""
    if real:
        return build(mod, path, values, "cpu", eval_mode)
    try:
        return build(mod, path, values, "meta", eval_mode)
    except ImportFailure:
        raise
    except Exception:
        return build(mod, path, values, "cpu", eval_mode)


def small_values(glob, pool, fixed=(), ties=None):
    """The globals above KEEP_AT_MOST take the pool's values in order, but
    those in `fixed` keep the file's value, and globals tied together
    (ties: global -> the first of its group) take one value."""
    ties = ties or {}
    out, i = {}, 0
    for k, v in glob.items():
        rep = ties.get(k, k)
        if rep != k and rep in out:
            out[k] = out[rep]
        elif v > KEEP_AT_MOST and k not in fixed and i < len(pool):
            out[k] = min(v, pool[i])
            i += 1
        else:
            out[k] = v
    return out


def signature(mapped):
    return [(o["op"], o["inputs"], json_attrs(o.get("attrs")))
            for o in mapped.ops], mapped.outputs, sorted(mapped.decls)


def json_attrs(a):
    return sorted((a or {}).items(), key=lambda kv: kv[0])


def dim_expr(points, glob_points):
    """An integer expression of the globals that equals points[i] under
    glob_points[i] for every capture i, or None."""
    if all(p == points[0] for p in points):
        return points[0]
    names = [g for g in glob_points[0]
             if any(gp[g] != glob_points[0][g] for gp in glob_points)]

    def ok(f):
        try:
            return all(f(gp) == p for gp, p in zip(glob_points, points))
        except ZeroDivisionError:
            return False

    for g in names:
        if ok(lambda gp: gp[g]):
            return g
    for g in names:
        for c in range(2, 17):
            if ok(lambda gp: gp[g] * c):
                return "%d*%s" % (c, g)
            if ok(lambda gp: gp[g] // c):
                return "%s/%d" % (g, c)
        for c in range(1, 17):
            if ok(lambda gp: gp[g] + c):
                return "%s+%d" % (g, c)
            if ok(lambda gp: gp[g] - c):
                return "%s-%d" % (g, c)
    allg = list(glob_points[0])
    for g in names:
        for h in allg:
            if h == g:
                continue
            if ok(lambda gp: gp[g] * gp[h]):
                return "%s*%s" % (g, h)
            if all(gp[h] and gp[g] % gp[h] == 0 for gp in glob_points) and ok(
                    lambda gp: gp[g] // gp[h]):
                return "%s/%s" % (g, h)
    return None


def try_scheme(mod, path, glob, mapped, sig, eval_mode, want_check, pool_a,
               pool_b, fixed=(), ties=None):
    """(capture, mapping, values, dim expressions) at this scheme's small
    bindings, or None when a capture fails, differs in its ops, attrs or
    literals from the file's sizes, or a dim has no expression."""
    try:
        va = small_values(glob, pool_a, fixed, ties)
        vb = small_values(glob, pool_b, fixed, ties)
        if va == glob:
            return None
        ca = capture_at(mod, path, va, eval_mode, real=want_check)
        ma = ops.map_graph(ca.ep, path, eval_mode)
        cb = capture_at(mod, path, vb, eval_mode, real=False)
        mb = ops.map_graph(cb.ep, path, eval_mode)
    except (ImportFailure, Exception):
        return None
    if signature(ma) != sig or signature(mb) != sig:
        return None
    exprs = {}
    for name in mapped.decls:
        dims = []
        for k in range(len(mapped.decls[name][1])):
            e = dim_expr([mapped.decls[name][1][k], ma.decls[name][1][k],
                          mb.decls[name][1][k]], [glob, va, vb])
            if e is None:
                return None
            dims.append(e)
        exprs[name] = dims
    return ca, ma, va, exprs


def same_structure(mod, path, values, sig, eval_mode):
    """Whether the model captures at `values` (meta device) with the file's
    ops, attrs and literals."""
    try:
        c = capture_at(mod, path, values, eval_mode, real=False)
        return signature(ops.map_graph(c.ep, path, eval_mode)) == sig
    except (ImportFailure, Exception):
        return False


def mixed_pools(mod, path, glob, sig, eval_mode):
    """Per-global small values, for when no scheme fits every global at
    once (group_norm's channels must be a multiple of num_groups, while its
    spatial sizes can be odd): each global above KEEP_AT_MOST, changed alone,
    takes the first pair of values that keeps the model's structure, in
    the order odd (scheme 1 at its position), multiples of 4 (scheme 2),
    8 and 16, 16 and 32, multiples of 16 (scheme 3); None where none does
    (a structural global). Returns (pool_a, pool_b) positional lists as
    small_values reads them, or None when no global needed another
    scheme than the first."""
    big = [g for g, v in glob.items() if v > KEEP_AT_MOST]
    pa, pb, changed = [], [], False
    for i, g in enumerate(big):
        cands = [(SCHEMES[0][0][i], SCHEMES[0][1][i]),
                 (SCHEMES[1][0][i], SCHEMES[1][1][i]), (8, 16), (16, 32),
                 (SCHEMES[2][0][i], SCHEMES[2][1][i])]
        pick = None
        for k, (va, vb) in enumerate(cands):
            va, vb = min(va, glob[g]), min(vb, glob[g])
            if va == glob[g] or vb == glob[g] or va == vb:
                continue
            if same_structure(mod, path, dict(glob, **{g: va}), sig,
                              eval_mode) and same_structure(
                    mod, path, dict(glob, **{g: vb}), sig, eval_mode):
                pick = (va, vb)
                changed = changed or k > 0
                break
        if pick is None:
            return None
        pa.append(pick[0])
        pb.append(pick[1])
    return (pa, pb) if changed else None


def structural_globals(mod, path, glob, sig, eval_mode):
    """Globals that are not plain sizes: changing one alone changes the
    model's ops or attrs (a depthwise conv's groups = in_channels, an
    attention scale 1/sqrt(E)) or makes it fail. Those that work when
    changed together with another to one value are tied (a batch size that
    must equal a feature size for broadcasting); the others keep the file's
    value. Returns (fixed, ties)."""
    probes = sorted({sch[0][0] for sch in SCHEMES})
    big = [g for g, v in glob.items() if v > KEEP_AT_MOST]
    bad = []
    for g in big:
        if not any(same_structure(mod, path, dict(glob, **{g: min(
                glob[g], p)}), sig, eval_mode) for p in probes):
            bad.append(g)
    ties, fixed = {}, set(bad)
    for i, g in enumerate(bad):
        if g in ties:
            continue
        for h in bad[i + 1:]:
            if h in ties or glob[h] != glob[g]:
                continue
            if any(same_structure(mod, path, dict(glob, **{g: min(
                    glob[g], p), h: min(glob[h], p)}), sig, eval_mode)
                   for p in probes):
                ties[h] = g
                ties.setdefault(g, g)
                fixed.discard(g)
                fixed.discard(h)
    return fixed, ties


def import_model(mod, path, glob, eval_mode, want_check):
    deploy = capture_at(mod, path, dict(glob), eval_mode, real=False)
    mapped = ops.map_graph(deploy.ep, path, eval_mode)
    sig = signature(mapped)
    # The small bindings: every size scaled down; if no scheme keeps the
    # model's structure, the structural globals keep their values.
    small = None
    note = ""
    if any(v > KEEP_AT_MOST for v in glob.values()):
        small = try_scheme(mod, path, glob, mapped, sig, eval_mode,
                           want_check, *SCHEMES[0])
        if small is None:
            mixed = mixed_pools(mod, path, glob, sig, eval_mode)
            if mixed is not None:
                small = try_scheme(mod, path, glob, mapped, sig, eval_mode,
                                   want_check, *mixed)
        for pool_a, pool_b in SCHEMES[1:]:
            if small is not None:
                break
            small = try_scheme(mod, path, glob, mapped, sig, eval_mode,
                               want_check, pool_a, pool_b)
        if small is None:
            fixed, ties = structural_globals(mod, path, glob, sig, eval_mode)
            if fixed or ties:
                for pool_a, pool_b in SCHEMES:
                    small = try_scheme(mod, path, glob, mapped, sig,
                                       eval_mode, want_check, pool_a, pool_b,
                                       fixed, ties)
                    if small is not None:
                        break
            if small is not None and fixed:
                note = ("; kept at the file's value in every shape (a "
                        "structural size: changing it changes the model's "
                        "ops or attrs): %s" % ", ".join(
                            "%s=%d" % (g, glob[g]) for g in glob
                            if g in fixed))
    if small is None:
        note = "; no smaller shape found that keeps the model's structure"
        if max_numel(deploy.ep) >= MAX_ELEMENTS:
            fail("a tensor has 2^31 elements or more at the file's sizes, "
                 "and no smaller sizes keep the model's ops and attrs")
        exprs = {n: list(d[1]) for n, d in mapped.decls.items()}
        shapes = [{}]
        numel = 0
        for _, dims in mapped.decls.values():
            n = 1
            for d in dims:
                n *= d
            numel += n
        # Check data needs real tensors: only where they are small.
        want_check = want_check and numel <= CHECK_MAX_ELEMENTS
        ca, ma = (capture_at(mod, path, dict(glob), eval_mode, real=True),
                  mapped) if want_check else (None, mapped)
    else:
        ca, ma, va, exprs = small
        used = set()
        for dims in exprs.values():
            for d in dims:
                if isinstance(d, str):
                    used.update(g for g in glob if g in ident_words(d))
        shapes = [{g: va[g] for g in sorted(used)},
                  {g: glob[g] for g in sorted(used)}]
        if not used:  # no input dim depends on the sizes
            shapes = [{}]
        elif max_numel(deploy.ep) >= MAX_ELEMENTS:
            note += ("; the file's sizes (%s) are not a listed shape: a "
                    "tensor would have 2^31 elements or more" %
                    ", ".join("%s=%d" % kv for kv in sorted(shapes[1].items())))
            shapes = shapes[:1]
    # Int64 inputs: ranges from their uses, the tightest over the captures.
    ranges = {}
    for m in (mapped, ma):
        for n, (lo, hi) in m.int_ranges.items():
            old = ranges.get(n, (lo, hi))
            ranges[n] = (max(lo, old[0]), min(hi, old[1]))
    inputs, domain = {}, {}
    for name in mapped.order:
        dtype = mapped.decls[name][0]
        inputs[name] = {"dtype": dtype, "shape": exprs[name]}
        if dtype == "float32":
            domain[name] = "finite"
        elif dtype == "bool":
            domain[name] = "all"
        else:
            if name not in ranges:
                fail("int64 input '%s' is used by no op that bounds its "
                     "values (only class indices of cross_entropy are "
                     "supported)" % name)
            domain[name] = {"range": list(ranges[name])}
    base = os.path.basename(path)
    name = "%s (imported by ksynth import%s%s)" % (
        base, ", eval mode: model.eval(), Dropout is identity"
        if eval_mode else ", training mode", note)
    if mapped.notes:
        name += "; " + "; ".join(sorted(set(mapped.notes)))
    spec = {
        "name": name,
        "inputs": inputs,
        "ops": mapped.ops,
        "outputs": mapped.outputs,
        "domain": domain,
        "shapes": shapes,
    }
    if mapped.inexact:
        # ksynth import keeps this tolerance (it sets the ops' own default
        # otherwise); the name says why.
        spec["tolerance"] = {"atol": 1e-5, "rtol": 1e-5}
        spec["name"] += "; needs a tolerance: " + "; ".join(
            sorted(set(mapped.inexact)))
    check = make_check(ca, ma, domain) if want_check else {
        "skipped": "the inputs are too large"}
    return spec, check


def ident_words(expr):
    out, cur = set(), ""
    for ch in expr + " ":
        if ch.isalnum() or ch == "_":
            cur += ch
        else:
            if cur and not cur[0].isdigit():
                out.add(cur)
            cur = ""
    return out


def bits(t):
    import numpy as np
    a = t.detach().to(torch.float32).contiguous().numpy().reshape(-1)
    return ["0x%08x" % int(b) for b in a.view(np.uint32)]


def make_check(cap, mapped, domain):
    """Random inputs (negative and large-magnitude values among them), the
    model's own parameters, and PyTorch's outputs, as ksynth eval's inputs
    file plus an "expected" entry."""
    g = torch.Generator().manual_seed(1234)
    user = []
    data = {}
    for name, x in zip(mapped.user_inputs, cap.inputs):
        if not isinstance(x, torch.Tensor):
            v = x  # a number get_inputs() gave (a literal of the spec)
        elif x.dtype == torch.float32:
            v = torch.randn(x.shape, generator=g)
            big = torch.rand(x.shape, generator=g) < 0.05
            v = torch.where(big, v * 1000.0, v)
        elif x.dtype == torch.bool:
            v = torch.rand(x.shape, generator=g) < 0.5
        elif x.dtype == torch.int64 and name in domain and isinstance(
                domain[name], dict):
            lo, hi = domain[name]["range"]
            v = torch.randint(lo, hi + 1, x.shape, generator=g)
        else:
            v = x
        user.append(v)
    params = dict(cap.model.named_parameters())
    params.update(dict(cap.model.named_buffers()))
    for name, target in mapped.param_targets.items():
        data[name] = param_values(params[target])
    for name, v in zip(mapped.user_inputs, user):
        if name in mapped.decls:
            data[name] = param_values(v)
    try:
        mags = magnitude.output_magnitudes(cap.ep, user, params)
    except Exception as e:  # a rule that cannot take this graph: said so
        mags = ["magnitude rules failed: %s: %s" % (
            type(e).__name__, " ".join(str(e).split())[:200])] * len(
                mapped.outputs)
    with torch.no_grad():
        out = cap.model(*user)
    if not isinstance(out, (tuple, list)):
        out = [out]
    expected = {}
    for name, t, mag in zip(mapped.outputs, out, mags):
        expected[name] = {"dtype": str(t.dtype).replace("torch.", ""),
                          "values": [repr(float(v)) if t.dtype == torch.float32
                                     else int(v) for v in t.reshape(-1).tolist()],
                          "bits": bits(t) if t.dtype == torch.float32 else None}
        if t.dtype == torch.float32:
            # the error scale of each element (magnitude.py)
            expected[name]["magnitude"] = mag if isinstance(mag, str) else [
                repr(float(v)) for v in mag.reshape(-1).tolist()]
    return {"inputs": data, "expected": expected}


def param_values(t):
    if t.dtype == torch.float32:
        return bits(t)
    if t.dtype == torch.bool:
        return ["0x01" if b else "0x00" for b in t.reshape(-1).tolist()]
    return [str(int(v)) for v in t.reshape(-1).tolist()]
