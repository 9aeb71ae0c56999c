"""Seed kernels of the soundness campaign (issue 10): the corpus's proved
kernels (tests/corpus/proved/*.cl) and the examples' candidates expected to
be proved (examples/*/candidates.json), each with its spec and manifest,
and the spec's shapes made small so that a verify and a device run are fast.
"""

import json
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))

HEADER_KEYS = ("EXPECT", "OBLIGATION", "SPEC", "MANIFEST", "BUG", "SHAPE",
               "UNKNOWN_KIND", "REASON")

# Specs of one elementwise op on small shapes: the CI campaign's seeds.
ELEMENTWISE_OPS = {
    "relu", "relu6", "hardtanh", "leaky_relu", "hardsigmoid", "abs", "neg",
    "clamp", "gt", "ge", "lt", "le", "eq", "ne", "where", "add", "sub", "mul",
    "div", "maximum", "minimum", "sigmoid", "tanh", "gelu",
}


class Seed:
    def __init__(self, name, spec_path, manifest, source):
        self.name = name  # e.g. corpus/relu_select, examples/hardtanh/float4
        self.spec_path = spec_path
        self.manifest = manifest  # dict without "source"
        self.source = source  # kernel text, corpus header removed
        with open(spec_path) as f:
            self.spec = json.load(f)

    def elementwise(self):
        return all(op["op"] in ELEMENTWISE_OPS for op in self.spec["ops"])


def strip_header(text):
    lines = text.split("\n")
    k = 0
    while k < len(lines) and re.match(r"//\s*(%s):" % "|".join(HEADER_KEYS), lines[k]):
        k += 1
    return "\n".join(lines[k:]).lstrip("\n")


def _header(text, key):
    m = re.search(r"^//\s*%s:\s*(.*)$" % key, text, re.M)
    return m.group(1).strip() if m else None


def corpus_seeds(root=ROOT):
    out = []
    d = os.path.join(root, "tests", "corpus", "proved")
    for fn in sorted(os.listdir(d)):
        if not fn.endswith(".cl"):
            continue
        p = os.path.join(d, fn)
        text = open(p).read()
        if _header(text, "EXPECT") != "proved":
            continue
        spec = os.path.normpath(os.path.join(d, _header(text, "SPEC")))
        man = json.loads(_header(text, "MANIFEST"))
        man.pop("source", None)
        out.append(Seed("corpus/" + fn[:-3], spec, man, strip_header(text)))
    return out


def example_seeds(root=ROOT):
    out = []
    ex = os.path.join(root, "examples")
    for prob in sorted(os.listdir(ex)):
        idx = os.path.join(ex, prob, "candidates.json")
        if not os.path.exists(idx):
            continue
        for c in json.load(open(idx))["candidates"]:
            if c.get("expect") != "proved":
                continue
            man = json.load(open(os.path.join(ex, prob, c["manifest"])))
            src = open(os.path.join(ex, prob, man.pop("source"))).read()
            out.append(Seed("examples/%s/%s" % (prob, c["name"]),
                            os.path.join(ex, prob, c["spec"]), man, src))
    return out


def all_seeds(root=ROOT):
    return corpus_seeds(root) + example_seeds(root)


# ------------------------------------------------------------- shapes

SMALL = 4096  # a dim above this is shrunk


def _elements(spec, binding):
    """Largest input element count at a binding (dims that are not plain
    symbols or integers are guessed as 1)."""
    best = 0
    for inp in spec["inputs"].values():
        n = 1
        for d in inp["shape"]:
            if isinstance(d, int):
                n *= d
            elif d in binding:
                n *= binding[d]
        best = max(best, n)
    return best


def small_shapes(spec, max_shapes=2):
    """The spec's shapes made small: bindings whose inputs have at most 2^16
    elements and no dim above SMALL are kept; otherwise every value above
    128 becomes 64 + value % 64 (keeping divisibility by work-group sizes
    up to 64 and the remainder a kernel's tail handles)."""
    keep = [b for b in spec["shapes"]
            if all(v <= SMALL for v in b.values()) and _elements(spec, b) <= 65536]
    if not keep:
        keep = []
        for b in spec["shapes"]:
            nb = {k: (64 + v % 64 if v > 128 else v) for k, v in b.items()}
            if nb not in keep:
                keep.append(nb)
    return keep[:max_shapes]


def small_spec(spec, max_shapes=2):
    s = json.loads(json.dumps(spec))
    s["shapes"] = small_shapes(spec, max_shapes)
    return s
