"""The campaign's own adversarial input sets (issue 10).

`ksynth run`'s generated sets (runtime/worker/Generate.h) contain three NaN
encodings (0x7fc00000, 0xffc00000, 0x7fa00001); a kernel that misbehaves
only on, say, a negative signalling NaN or a quiet NaN with a payload
passes them. So every proved kernel is also run on sets built here and
handed to `ksynth run --replay` as a verdict-shaped document (every input
element given as bits, docs/verdict-format.md): every NaN class (both
signs, quiet and signalling, several payloads), infinities, zeros,
subnormals, FLT_MIN/FLT_MAX, the float literals of the kernel and of the
spec's attributes and their neighbours (1 ulp either side), small
integers and halves, and random bit patterns, all within the input's
domain. The replay compares every output element, so any mismatch fails.
"""

import json
import re
import struct

NANS = [
    0x7FC00000, 0xFFC00000,  # canonical quiet, both signs
    0x7FC00001, 0xFFC00001,  # quiet with a payload
    0x7FE00000, 0xFFE00000, 0x7FFFFFFF, 0xFFFFFFFF,
    0x7F800001, 0xFF800001,  # signalling, smallest payload
    0x7FA00000, 0xFFA00000, 0x7FBFFFFF, 0xFFBFFFFF,
]
SPECIAL = [
    0x7F800000, 0xFF800000,  # +-inf
    0x00000000, 0x80000000,  # +-0
    0x00000001, 0x80000001, 0x007FFFFF, 0x807FFFFF,  # subnormals
    0x00400000, 0x80400000,
    0x00800000, 0x80800000,  # +-FLT_MIN
    0x7F7FFFFF, 0xFF7FFFFF,  # +-FLT_MAX
]
SMALL = [0.5, 1.0, 1.5, 2.0, 3.0, 6.0, 0.01, 100.0]

INT64_SPECIAL = [0, 1, -1, 2, 3, 7, -2, 2**31 - 1, -2**31, 2**31, 2**32, -2**32,
                 2**53, -2**53, 2**63 - 1, -2**63]


def fbits(x):
    return struct.unpack("<I", struct.pack("<f", x))[0]


def ffrom(b):
    return struct.unpack("<f", struct.pack("<I", b & 0xFFFFFFFF))[0]


def _is_nan(b):
    return (b & 0x7F800000) == 0x7F800000 and (b & 0x007FFFFF) != 0


def _is_inf(b):
    return (b & 0x7FFFFFFF) == 0x7F800000


def constants(source, spec):
    """Float constants of the kernel text and the spec's attributes."""
    vals = set()
    for m in re.finditer(r"(?<![\w.])(\d+\.\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+)[fF]?", source):
        try:
            vals.add(struct.unpack("<f", struct.pack("<f", float(m.group(1))))[0])
        except (OverflowError, ValueError):
            pass
    for op in spec.get("ops", []):
        for v in (op.get("attrs") or {}).values():
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                vals.add(float(v))
        for i in op.get("inputs", []):
            if isinstance(i, (int, float)):
                vals.add(float(i))
    return sorted(v for v in vals if abs(v) < 3.4e38)


def float_pool(consts):
    """Candidate bit patterns: specials, NaNs, constants and neighbours."""
    pool = set(NANS) | set(SPECIAL)
    for c in list(consts) + SMALL:
        for s in (c, -c):
            try:
                b = fbits(s)
            except OverflowError:
                continue
            pool.update({b, (b + 1) & 0xFFFFFFFF, (b - 1) & 0xFFFFFFFF})
    return sorted(pool)


def _in_domain(b, dom):
    if dom in (None, "all"):
        return True
    if _is_nan(b):
        return False
    if dom == "finite":
        return not _is_inf(b)
    if isinstance(dom, dict) and "range" in dom:
        lo, hi = dom["range"]
        lo = float("-inf") if lo in ("-inf",) else float(lo)
        hi = float("inf") if hi in ("inf",) else float(hi)
        return lo <= ffrom(b) <= hi
    return True


def _float_values(rng, n, dom, pool):
    ok = [b for b in pool if _in_domain(b, dom)]
    out = []
    for _ in range(n):
        r = rng.random()
        if r < 0.7 and ok:
            out.append(rng.choice(ok))
        elif r < 0.85:
            b = rng.getrandbits(32)  # any bit pattern
            if _in_domain(b, dom):
                out.append(b)
                continue
            out.append(rng.choice(ok) if ok else fbits(0.0))
        else:
            # a NaN with a random payload and sign
            b = (rng.getrandbits(1) << 31) | 0x7F800000 | (rng.getrandbits(23) or 1)
            if _in_domain(b, dom):
                out.append(b)
            else:
                out.append(rng.choice(ok) if ok else fbits(0.0))
    # every NaN class and special value at least once (where the domain
    # allows it and there is room), at random places
    must = [b for b in NANS + SPECIAL if _in_domain(b, dom)]
    rng.shuffle(must)
    places = rng.sample(range(n), min(n // 2, len(must)))
    for p, b in zip(places, must):
        out[p] = b
    if isinstance(dom, dict) and "range" in dom:
        lo, hi = dom["range"]
        lo = -3.4028234663852886e38 if lo == "-inf" else float(lo)
        hi = 3.4028234663852886e38 if hi == "inf" else float(hi)
        for k in range(n):
            if rng.random() < 0.3:
                x = struct.unpack("<f", struct.pack("<f", rng.uniform(lo, hi)))[0]
                if lo <= x <= hi:
                    out[k] = fbits(x)
    return out


def _int_values(rng, n, dom):
    if isinstance(dom, dict) and "range" in dom:
        lo, hi = int(dom["range"][0]), int(dom["range"][1])
        cand = [v for v in INT64_SPECIAL if lo <= v <= hi] + [lo, hi]
        return [rng.choice(cand) if rng.random() < 0.5 else rng.randint(lo, hi) for _ in range(n)]
    return [rng.choice(INT64_SPECIAL) if rng.random() < 0.6 else rng.randint(-2**63, 2**63 - 1) for _ in range(n)]


def _dim(d, binding):
    if isinstance(d, int):
        return d
    expr = re.sub(r"[A-Za-z_]\w*", lambda m: str(binding[m.group()]), str(d))
    if not re.fullmatch(r"[\d+\-*/() ]+", expr):
        raise ValueError("dim " + str(d))
    return int(eval(expr.replace("/", "//")))  # integer shape arithmetic only


def document(spec, binding, rng, source):
    """A verdict-shaped document whose counterexample holds one adversarial
    input set at this binding (ksynth run --replay runs it and compares
    every output element)."""
    pool = float_pool(constants(source, spec))
    inputs = {}
    for name, decl in spec["inputs"].items():
        shape = [_dim(d, binding) for d in decl["shape"]]
        n = 1
        for d in shape:
            n *= d
        dom = spec.get("domain", {}).get(name, "all")
        dt = decl["dtype"]
        if dt == "float32":
            bits = ["0x%08x" % b for b in _float_values(rng, n, dom, pool)]
        elif dt == "bool":
            bits = ["0x%02x" % rng.getrandbits(1) for _ in range(n)]
        else:
            bits = ["0x%016x" % (v & 0xFFFFFFFFFFFFFFFF) for v in _int_values(rng, n, dom)]
        inputs[name] = {"dtype": dt, "shape": shape, "bits": bits}
    out = spec["outputs"][0]
    return {
        "verdict": "refuted",
        "note": "campaign adversarial input set (not a verifier verdict)",
        "counterexample": {"obligation": "equivalence", "shape": binding, "inputs": inputs,
                           "output": out, "flat_index": 0, "index": [0]},
    }


def write_documents(path_prefix, spec, rng, source, sets_per_shape):
    paths = []
    for si, b in enumerate(spec["shapes"]):
        for k in range(sets_per_shape):
            p = "%s_%d_%d.json" % (path_prefix, si, k)
            with open(p, "w") as f:
                json.dump(document(spec, b, rng, source), f)
            paths.append(p)
    return paths
