"""ATen ops (as torch.export captures them) -> ksynth spec ops.

map_graph walks an ExportedProgram's graph and returns the spec's inputs,
ops and outputs, or fails with every unsupported op and its line in the
model file. Each handler maps one ATen op, with its attrs carried exactly
(names as in torch.nn.functional); composites are written with existing
spec ops only where they compute the same function (noted per handler).
"""
import os
import re

import torch

from ksynth_import import fail

REDUCTIONS = {0: "none", 1: "mean", 2: "sum"}
DTYPES = {torch.float32: "float32", torch.bool: "bool", torch.int64: "int64"}


class Unsupported(Exception):
    pass


class Mapped:
    def __init__(self):
        self.ops = []
        self.decls = {}  # spec input name -> (dtype, dims)
        self.order = []  # spec input names, in order
        self.outputs = []
        self.user_inputs = []  # spec names of the forward's arguments
        self.param_targets = {}  # spec name -> parameter/buffer path
        self.int_ranges = {}  # int64 input -> (lo, hi)
        self.notes = []
        self.inexact = []  # why a tolerance is needed beyond the ops' own
        self.shapes = {}  # spec tensor name -> dims
        self.dtypes = {}
        self._names = set()

    def fresh(self, hint):
        base = re.sub(r"[^A-Za-z0-9_]", "_", hint) or "t"
        if base[0].isdigit():
            base = "t_" + base
        name, k = base, 1
        while name in self._names:
            k += 1
            name = "%s_%d" % (base, k)
        self._names.add(name)
        return name

    def ops_using(self, name):
        return [o for o in self.ops if name in o["inputs"]]

    def emit(self, op, inputs, attrs=None, hint=None, shape=None,
             dtype="float32"):
        out = self.fresh(hint or op)
        o = {"op": op, "inputs": list(inputs), "output": out}
        if attrs:
            o["attrs"] = attrs
        self.ops.append(o)
        if shape is not None:
            self.shapes[out] = tuple(shape)
        self.dtypes[out] = dtype
        return out


def lit(v):
    """A Python scalar operand as a spec literal."""
    if isinstance(v, bool):
        raise Unsupported("a bool scalar operand")
    return float(v)


def ints(v, n=None):
    if isinstance(v, int):
        v = [v] * (n or 1)
    v = [int(x) for x in v]
    if n is not None and len(v) == 1:
        v = v * n
    return v


def one_or_list(v):
    return v[0] if len(set(v)) == 1 else v


def normalize(target, args, kwargs):
    """The op's arguments by schema name, defaults filled in."""
    out = {}
    try:
        schema = target._schema
    except AttributeError:
        return {"_%d" % i: a for i, a in enumerate(args)}
    for i, arg in enumerate(schema.arguments):
        if i < len(args):
            out[arg.name] = args[i]
        elif arg.name in kwargs:
            out[arg.name] = kwargs[arg.name]
        elif arg.has_default_value():
            out[arg.name] = arg.default_value
        else:
            out[arg.name] = None
    return out


def source_line(node, path):
    st = node.meta.get("stack_trace") or ""
    line = None
    for m in re.finditer(r'File "([^"]+)", line (\d+)', st):
        if os.path.abspath(m.group(1)) == path:
            line = int(m.group(2))
    return line


def meta_shape(node):
    v = node.meta.get("val")
    if isinstance(v, torch.Tensor):
        return tuple(int(d) for d in v.shape)
    return None


def meta_dtype(node):
    v = node.meta.get("val")
    return v.dtype if isinstance(v, torch.Tensor) else None


def map_graph(ep, path, eval_mode):
    import handlers

    m = Mapped()
    sig = ep.graph_signature
    params = dict(sig.inputs_to_parameters)
    params.update(sig.inputs_to_buffers)
    consts = dict(getattr(sig, "inputs_to_lifted_tensor_constants", {}))
    env = {}
    bad = []
    users = {}
    for node in ep.graph.nodes:
        for a in node.all_input_nodes:
            users.setdefault(a, []).append(node)
    placeholders = [n for n in ep.graph.nodes if n.op == "placeholder"]
    for node in placeholders:
        if node.name in consts:
            t = ep.constants.get(consts[node.name])
            if isinstance(t, torch.Tensor) and t.dim() == 0 and \
                    t.dtype == torch.float32 and t.device.type != "meta":
                # a 0-d float constant made in forward (torch.tensor(c)):
                # its value is part of the model, a literal of the spec
                env[node] = float(t)
            else:
                env[node] = ("const", node.name)
            continue
        dt = meta_dtype(node)
        shape = meta_shape(node)
        if node.name in params:
            name = m.fresh(params[node.name].replace(".", "_"))
            m.param_targets[name] = params[node.name]
        else:
            name = m.fresh(node.name)
            m.user_inputs.append(name)
        env[node] = name
        if shape is None:  # a non-tensor argument
            env[node] = ("bad", node.name)
            val = node.meta.get("val")
            if isinstance(val, (int, float)) and not users.get(node):
                # torch.export specialises a Python number to the value
                # get_inputs() gave: it is a literal of the spec.
                m.notes.append("the number input '%s' is the literal %r "
                               "from get_inputs()" % (node.name, val))
            else:
                bad.append(("a non-tensor input '%s'" % node.name, None))
            continue
        if dt not in DTYPES:
            bad.append(("input '%s' of dtype %s (float32, bool and int64 "
                        "only)" % (node.name, dt), None))
        m.shapes[name] = shape
        m.dtypes[name] = DTYPES.get(dt, str(dt))
    for node in ep.graph.nodes:
        if node.op != "call_function":
            continue
        args = map_args(node.args, env)
        kwargs = {k: map_args(v, env) for k, v in node.kwargs.items()}
        if has_const(args) or has_const(kwargs):
            env[node] = ("bad",)
            bad.append((op_name(node) + ": a tensor constant created in "
                        "forward() (only parameters, buffers and inputs)",
                        source_line(node, path)))
            continue
        if has_bad(args) or has_bad(kwargs):
            # Downstream of an unsupported op: still checked (on a scratch
            # graph, operands standing in with their captured shapes), so
            # that the error lists every unsupported op.
            env[node] = ("bad",)
            problem = ghost_check(node, env, eval_mode)
            if problem is not None and users.get(node):
                bad.append((problem, source_line(node, path)))
            continue
        try:
            env[node] = handlers.handle(m, node, args, kwargs, eval_mode)
        except (Unsupported, KeyError, TypeError, ValueError,
                AttributeError, IndexError) as e:
            if not isinstance(e, Unsupported):  # an operand it cannot take
                e = Unsupported("on an operand it cannot take (a view, "
                                "flip or squeeze before it)")
            env[node] = ("bad",)
            if not users.get(node):
                continue  # dead (an in-place update of bn's counter)
            bad.append((op_name(node) + (": %s" % e if str(e) else ""),
                        source_line(node, path)))
    if bad:
        base = os.path.basename(path)
        items = ["%s (%s)" % (what, "%s:%d" % (base, line) if line
                              else "no source line") for what, line in bad]
        fail("unsupported: " + "; ".join(items))
    out_node = [n for n in ep.graph.nodes if n.op == "output"][0]
    outs = out_node.args[0]
    outs = outs if isinstance(outs, (tuple, list)) else [outs]
    for o in outs:
        v = map_args(o, env)
        if not isinstance(v, str):
            fail("the model returns something other than tensors")
        m.outputs.append(v)
    rename_outputs(m)
    # Spec inputs: those the ops or the outputs use, in placeholder order.
    used = set(m.outputs)
    for o in m.ops:
        used.update(i for i in o["inputs"] if isinstance(i, str))
    for node in placeholders:
        name = env[node]
        if isinstance(name, str) and name in used:
            m.order.append(name)
            m.decls[name] = (m.dtypes[name], m.shapes[name])
    return m


def ghost_check(node, env, eval_mode):
    """The reason `node` is unsupported, judged from its operands' captured
    shapes, or None."""
    import handlers

    g = Mapped()

    def sub(a):
        if isinstance(a, torch.fx.Node):
            v = env.get(a, ("bad",))
            if isinstance(v, tuple) and v and v[0] in ("bad", "const"):
                name = g.fresh(a.name)
                g.shapes[name] = meta_shape(a) or ()
                g.dtypes[name] = DTYPES.get(meta_dtype(a), "float32")
                return name
            return v
        if isinstance(a, (list, tuple)):
            return type(a)(sub(x) for x in a)
        return a

    for v in env.values():
        if isinstance(v, str):
            g._names.add(v)
    try:
        args = sub(node.args)
        kwargs = {k: sub(v) for k, v in node.kwargs.items()}
        handlers.handle(g, node, args, kwargs, eval_mode)
    except Unsupported as e:
        return op_name(node) + (": %s" % e if str(e) else "")
    except Exception:
        return None
    return None


def op_name(node):
    t = node.target
    name = getattr(t, "__name__", str(t))
    return "aten." + name.split(".")[0] if hasattr(t, "_schema") else name


def map_args(a, env):
    if isinstance(a, torch.fx.Node):
        return env.get(a, ("bad",))
    if isinstance(a, (list, tuple)):
        return type(a)(map_args(x, env) for x in a)
    return a


def has_const(a):
    if isinstance(a, tuple) and a and a[0] == "const":
        return True
    if isinstance(a, (list, tuple)):
        return any(has_const(x) for x in a)
    if isinstance(a, dict):
        return any(has_const(x) for x in a.values())
    return False


def has_bad(a):
    if isinstance(a, tuple) and a and a[0] in ("bad", "const"):
        return True
    if isinstance(a, (list, tuple)):
        return any(has_bad(x) for x in a)
    if isinstance(a, dict):
        return any(has_bad(x) for x in a.values())
    return False


def rename_outputs(m):
    """The model's results are named y (one) or y0, y1, ... (several), for
    manifests; a result that is an input itself keeps its name."""
    produced = {o["output"] for o in m.ops}
    outs = [o for o in m.outputs if o in produced]
    if len(set(outs)) != len(m.outputs):
        return
    new = ["y"] if len(outs) == 1 else ["y%d" % i for i in range(len(outs))]
    taken = set(m.shapes) - produced
    if any(n in taken for n in new):
        return
    ren = dict(zip(outs, new))
    tmp = {old: "__out%d" % i for i, old in enumerate(outs)}
    for o in m.ops:  # via temporary names: y may already be an op's name
        o["inputs"] = [tmp.get(i, i) if isinstance(i, str) else i
                       for i in o["inputs"]]
        o["output"] = tmp.get(o["output"], o["output"])
    final = {tmp[old]: ren[old] for old in outs}
    clash = {o["output"] for o in m.ops} & set(new)
    for c in clash:  # an intermediate already called y: rename it away
        final[c] = m.fresh(c + "_")
    for o in m.ops:
        o["inputs"] = [final.get(i, i) if isinstance(i, str) else i
                       for i in o["inputs"]]
        o["output"] = final.get(o["output"], o["output"])
    m.outputs = [final.get(tmp[o], o) for o in m.outputs]
