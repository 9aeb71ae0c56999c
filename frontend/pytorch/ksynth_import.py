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
import importlib.util
import json
import os
import sys
import traceback

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


def load_module(path):
    sys.path.insert(0, os.path.dirname(path))
    spec = importlib.util.spec_from_file_location("ksynth_model", path)
    if spec is None:
        fail("%s: not a Python file" % path)
    mod = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(mod)
    except BaseException as e:  # noqa: B902 (SystemExit too)
        fail(python_error("loading the model file", e, path))
    for name in ("Model", "get_inputs", "get_init_inputs"):
        if not hasattr(mod, name):
            fail("%s: defines no '%s' (a KernelBench-style file defines "
                 "class Model, get_inputs() and get_init_inputs())" %
                 (path, name))
    return mod


def size_globals(mod):
    """The module's integer globals that may be sizes: name -> value."""
    out = {}
    for k, v in vars(mod).items():
        if k.startswith("_") or isinstance(v, bool) or not isinstance(v, int):
            continue
        out[k] = v
    return out


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
    mod = load_module(path)
    spec, check = capture.import_model(mod, path, size_globals(mod), a.eval,
                                       a.check_data is not None)
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
