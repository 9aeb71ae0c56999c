#!/usr/bin/env python3
"""ksynth's PyTorch front end (issue 13): a KernelBench-style model file ->
a ksynth spec (docs/spec-format.md) on stdout.

Run by `ksynth import` (tools/ksynth/ImportCommand.cpp) in a child process
with the project's virtual environment; see frontend/pytorch/README.md.

    ksynth_import.py MODEL.py [--eval] [--check-data FILE]

The model file defines `class Model(nn.Module)`, `get_inputs()` and
`get_init_inputs()`. The graph is captured with torch.export (fallback
torch.fx) and every ATen op is mapped to spec ops (ops.py). Errors are one
line on stderr and exit 2; nothing is written to stdout then.
"""
import argparse
import ast
import json
import os
import sys
import traceback
import types

HELPER_VERSION = "1"


class ImportFailure(Exception):
    """A user-facing error: one line, exit 2."""


def fail(msg):
    raise ImportFailure(msg)


def model_line(exc, model_path):
    """The last line number of the model file in a traceback, or None."""
    line = None
    for fr in traceback.extract_tb(exc.__traceback__):
        if os.path.abspath(fr.filename) == model_path:
            line = fr.lineno
    return line


def python_error(what, exc, model_path):
    line = model_line(exc, model_path)
    where = "%s:%d: " % (os.path.basename(model_path), line) if line else ""
    msg = " ".join(str(exc).split()) or "(no message)"
    return "%s%s raised %s: %s" % (where, what, type(exc).__name__, msg)


def _int_const(v):
    """The value of an integer literal or of an arithmetic expression of
    integer literals (`16384 * 4`, `2 ** 10`), else None."""
    if isinstance(v, ast.Constant):
        return v.value if type(v.value) is int else None
    if isinstance(v, ast.UnaryOp) and isinstance(v.op, ast.USub):
        x = _int_const(v.operand)
        return -x if x is not None else None
    if isinstance(v, ast.BinOp):
        x, y = _int_const(v.left), _int_const(v.right)
        if x is None or y is None:
            return None
        ops = {ast.Add: lambda: x + y, ast.Sub: lambda: x - y,
               ast.Mult: lambda: x * y, ast.FloorDiv: lambda: x // y if y
               else None, ast.Pow: lambda: x ** y if 0 <= y <= 64 else None}
        f = ops.get(type(v.op))
        return f() if f else None
    return None


def literal_globals(path):
    """The module's top-level sizes: names assigned an integer literal
    (`batch_size = 16`, `height = width = 32`, `D, H, W = 8, 16, 16`), in
    order; an integer element of a tuple (`input_shape = (4096,)`) is the
    size `input_shape_0`. Globals computed from them follow when these are
    changed."""
    out = {}
    for node, name, _, value in _size_assignments(_parse(path)):
        out.setdefault(name, value)
    return out


def _parse(path):
    try:
        with open(path) as f:
            return ast.parse(f.read(), filename=path)
    except OSError as e:
        fail("%s: cannot read (%s)" % (path, e.strerror))
    except SyntaxError as e:
        fail("%s:%s: syntax error: %s" % (os.path.basename(path), e.lineno,
                                          e.msg))


def _size_assignments(tree):
    """(statement, name, element index or None, value) per size global."""
    for node in tree.body:
        if not isinstance(node, ast.Assign):
            continue
        for tgt in node.targets:
            if isinstance(tgt, ast.Name) and _int_const(node.value) is not None:
                yield node, tgt.id, None, _int_const(node.value)
            elif (isinstance(tgt, ast.Name) and
                  isinstance(node.value, ast.Tuple) and len(node.targets) == 1):
                # input_shape = (4096,): each integer element is a size
                # named input_shape_0, ...
                for k, v in enumerate(node.value.elts):
                    if _int_const(v) is not None:
                        yield node, "%s_%d" % (tgt.id, k), k, _int_const(v)
            elif (isinstance(tgt, ast.Tuple) and
                  isinstance(node.value, ast.Tuple) and
                  len(tgt.elts) == len(node.value.elts)):
                for k, (t, v) in enumerate(zip(tgt.elts, node.value.elts)):
                    if isinstance(t, ast.Name) and _int_const(v) is not None:
                        yield node, t.id, k, _int_const(v)


def load_module(path, overrides=None):
    """Executes the model file as a fresh module, with the size globals in
    `overrides` assigned other values (the statement is rewritten, so that
    globals computed from them follow)."""
    sys.path.insert(0, os.path.dirname(path))
    tree = _parse(path)
    if overrides:
        for node, name, k, _ in list(_size_assignments(tree)):
            if name not in overrides:
                continue
            new = ast.copy_location(ast.Constant(overrides[name]), node.value)
            if k is None:  # a = b = 16: split into one statement per name
                idx = tree.body.index(node)
                node.targets = [t for t in node.targets
                                if not (isinstance(t, ast.Name) and
                                        t.id == name)]
                one = ast.copy_location(ast.Assign(
                    targets=[ast.Name(name, ast.Store())], value=new), node)
                tree.body.insert(idx + 1, one)
                if not node.targets:
                    tree.body.remove(node)
            else:
                node.value.elts[k] = new
        ast.fix_missing_locations(tree)
    mod = types.ModuleType("ksynth_model")
    mod.__file__ = path
    try:
        code = compile(tree, path, "exec")
        exec(code, mod.__dict__)
    except BaseException as e:  # noqa: B902 (SystemExit too)
        fail(python_error("loading the model file", e, path))
    for name in ("Model", "get_inputs", "get_init_inputs"):
        if not hasattr(mod, name):
            fail("defines no '%s' (a KernelBench-style file defines "
                 "class Model, get_inputs() and get_init_inputs())" % name)
    return mod


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("model")
    ap.add_argument("--eval", action="store_true",
                    help="call model.eval() first (Dropout is identity)")
    ap.add_argument("--check-data", metavar="FILE",
                    help="also write random inputs at the first (small) "
                    "shape and PyTorch's outputs for them (tests)")
    a = ap.parse_args()
    path = os.path.abspath(a.model)
    try:
        import torch  # noqa: F401
    except ImportError as e:
        fail("PyTorch is not importable (%s): run scripts/install-python.sh"
             % e)
    import capture  # noqa: E402 (after torch)
    load_module(path)  # the file's own errors first, with their message
    spec, check = capture.import_model(None, path, literal_globals(path),
                                       a.eval, a.check_data is not None)
    if a.check_data:
        with open(a.check_data, "w") as f:
            json.dump(check, f)
    json.dump(spec, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.modules.setdefault("ksynth_import", sys.modules["__main__"])
    try:
        main()
    except ImportFailure as e:
        sys.stderr.write("%s\n" % " ".join(str(e).split()))
        sys.exit(2)
