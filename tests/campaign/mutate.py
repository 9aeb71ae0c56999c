"""Mutation operators on OpenCL C kernel text (soundness campaign, issue 10).

A kernel is tokenized (comments and preprocessor lines skipped) and every
mutation site becomes one mutant: a list of text edits on the original
source plus a one-line description. Operators:

  binop       + - * / and compound assignments swapped
  compare     < <= > >= == != replaced by each other
  const       float literals: 0 -> -0, 1 -> 0.99999994, +-1 ulp, negated;
              integer literals +-1
  index       a[E] -> a[(E)+1], a[(E)-1], a[SIZE-1]; vloadN/vstoreN offsets
  guard       if (C) -> if (1) and if (0) (drops a guard or a branch)
  barrier     barrier(...); deleted, or moved past the next statement
  loop        for-loop bound +-1, step doubled or +1
  bits        float sign tests rewritten on the bits: v < 0 -> as_int(v) < 0,
              signbit(v), as_uint(v) >> 31, as_uint(v) > 0x80000000u ...;
              fabs via masks, negation via xor, fmax(v, 0) via int max,
              comparisons with a constant done on the int bits

Nothing here knows whether a mutant is right or wrong: the verifier decides,
the device run checks the verifier.
"""

import re
import struct

_TOKEN_RE = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>//[^\n]*|/\*.*?\*/)
  | (?P<pp>\#[^\n]*)
  | (?P<num>0[xX][0-9a-fA-F]+[uUlL]*
        | (?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?[fFuUlLhH]*)
  | (?P<id>[A-Za-z_]\w*)
  | (?P<op><<=|>>=|->|\+\+|--|<<|>>|<=|>=|==|!=|&&|\|\||\+=|-=|\*=|/=|%=|&=|\|=|\^=|[-+*/%<>=!&|^~?:;,.(){}\[\]])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

TYPE_WORDS = {
    "float", "float2", "float3", "float4", "float8", "float16", "int", "int2",
    "int4", "int8", "int16", "uint", "uint2", "uint4", "uint8", "uint16",
    "char", "uchar", "short", "ushort", "long", "ulong", "bool", "size_t",
    "const", "__global", "global", "__local", "local", "__private",
    "private", "__constant", "constant", "restrict", "void", "unsigned",
    "signed", "double", "half", "volatile",
}


class Tok:
    __slots__ = ("kind", "text", "start", "end", "depth")

    def __init__(self, kind, text, start, end, depth):
        self.kind, self.text, self.start, self.end = kind, text, start, end
        self.depth = depth

    def __repr__(self):
        return "Tok(%s,%r)" % (self.kind, self.text)


def tokenize(src):
    """Tokens without whitespace/comments/preprocessor lines; depth is the
    brace depth at the token (0 outside function bodies)."""
    toks, depth = [], 0
    for m in _TOKEN_RE.finditer(src):
        kind = m.lastgroup
        if kind in ("ws", "comment", "pp"):
            continue
        text = m.group()
        if text == "}":
            depth -= 1
        toks.append(Tok(kind, text, m.start(), m.end(), depth))
        if text == "{":
            depth += 1
    return toks


def apply_edits(src, edits):
    """edits: [(start, end, replacement)], non-overlapping."""
    out, pos = [], 0
    for s, e, r in sorted(edits):
        if s < pos:
            raise ValueError("overlapping edits")
        out.append(src[pos:s])
        out.append(r)
        pos = e
    out.append(src[pos:])
    return "".join(out)


def _match(toks, i, open_, close):
    """Index of the token closing toks[i] (an open_ token)."""
    level = 0
    for j in range(i, len(toks)):
        if toks[j].text == open_:
            level += 1
        elif toks[j].text == close:
            level -= 1
            if level == 0:
                return j
    return None


# --------------------------------------------------------------- literals


def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def bits(x):
    return struct.unpack("<I", struct.pack("<f", x))[0]


def from_bits(b):
    return struct.unpack("<f", struct.pack("<I", b & 0xFFFFFFFF))[0]


def float_literal(x):
    """Shortest-ish text that rounds to the float32 x, with an f suffix."""
    if x != x:
        return "NAN"
    if x in (float("inf"), float("-inf")):
        return "INFINITY" if x > 0 else "(-INFINITY)"
    for digits in range(1, 10):
        t = "%.*g" % (digits, x)
        if f32(float(t)) == x:
            break
    if "e" not in t and "." not in t and "n" not in t:
        t += ".0"
    return t + "f"


def is_float_lit(t):
    if t.lower().startswith("0x"):
        return False
    return ("." in t or "e" in t.lower() or t[-1] in "fF") and t[0] in "0123456789."


def is_int_lit(t):
    return t[0].isdigit() and not is_float_lit(t)


def parse_float_lit(t):
    return f32(float(t.rstrip("fFhH")))


def parse_int_lit(t):
    core = t.rstrip("uUlL")
    suffix = t[len(core):]
    return int(core, 16 if core.lower().startswith("0x") else 10), suffix, core.lower().startswith("0x")


def next_ulp(x, up):
    if x != x or x in (float("inf"), float("-inf")):
        return x
    b = bits(x)
    if x == 0:
        return from_bits(1) if up else from_bits(0x80000001)
    if (x > 0) == up:
        return from_bits(b + 1)
    return from_bits(b - 1)


# ------------------------------------------------------------ type facts


def float_names(src):
    """name -> float type ('float', 'float4', ...) for scalar/vector float
    variables and parameters, and '*float' for float pointers."""
    names = {}
    for m in re.finditer(r"\b(float(?:2|3|4|8|16)?)\s*(\*?)\s*(?:const\s+)?(?:restrict\s+)?(\w+)", src):
        ty, star, name = m.groups()
        if name in TYPE_WORDS:
            continue
        names[name] = ("*" + ty) if star else ty
    return names


def int_params(src):
    """Names of integer by-value kernel parameters (the size argument)."""
    out = []
    for m in re.finditer(r"__kernel\s+void\s+\w+\s*\(([^)]*)\)", src):
        for p in m.group(1).split(","):
            p = p.strip()
            w = re.findall(r"\w+", p)
            if "*" in p or not w:
                continue
            if any(t in ("int", "uint", "long", "ulong", "size_t") for t in w[:-1]):
                out.append(w[-1])
    return out


# ------------------------------------------------------------- operators

BINOPS = {
    "+": ["-", "*"],
    "-": ["+", "*"],
    "*": ["/", "+"],
    "/": ["*", "-"],
    "+=": ["-=", "*="],
    "-=": ["+="],
    "*=": ["/=", "+="],
    "/=": ["*="],
}
COMPARES = ["<", "<=", ">", ">=", "==", "!="]


def _is_value_end(tok):
    return tok.kind in ("id", "num") and tok.text not in TYPE_WORDS or tok.text in (")", "]")


def mut_binop(src, toks):
    for k, t in enumerate(toks):
        if t.depth == 0 or t.text not in BINOPS or k == 0:
            continue
        if t.text in "+-*/" and not _is_value_end(toks[k - 1]):
            continue  # unary minus, pointer declarator
        for r in BINOPS[t.text]:
            yield "binop %s -> %s at offset %d" % (t.text, r, t.start), [(t.start, t.end, r)]


def mut_compare(src, toks):
    for t in toks:
        if t.depth == 0 or t.text not in COMPARES:
            continue
        for r in COMPARES:
            if r != t.text:
                yield "compare %s -> %s at offset %d" % (t.text, r, t.start), [(t.start, t.end, r)]


def mut_const(src, toks):
    for t in toks:
        if t.depth == 0 or t.kind != "num":
            continue
        if is_float_lit(t.text):
            x = parse_float_lit(t.text)
            alts = []
            if x == 0:
                alts.append("-0.0f" if bits(x) == 0 else "0.0f")
            if x == 1.0:
                alts.append("0.99999994f")
            alts.append(float_literal(next_ulp(x, True)))
            alts.append(float_literal(next_ulp(x, False)))
            if x != 0:
                alts.append("(" + float_literal(-x) + ")")
            for a in dict.fromkeys(alts):
                yield "const %s -> %s at offset %d" % (t.text, a, t.start), [(t.start, t.end, a)]
        elif is_int_lit(t.text):
            v, suffix, hexa = parse_int_lit(t.text)
            for d in (1, -1):
                nv = v + d
                if nv < 0:
                    continue
                a = (hex(nv) if hexa else str(nv)) + suffix
                yield "const %s -> %s at offset %d" % (t.text, a, t.start), [(t.start, t.end, a)]


def mut_index(src, toks):
    sizes = int_params(src)
    size = sizes[0] if sizes else None
    for k, t in enumerate(toks):
        if t.depth == 0:
            continue
        if t.text == "[" and k > 0 and toks[k - 1].kind == "id":
            j = _match(toks, k, "[", "]")
            if j is None or j == k + 1:
                continue
            s, e = toks[k + 1].start, toks[j - 1].end
            inner = src[s:e]
            yield "index [%s] -> [(%s)+1]" % (inner, inner), [(s, e, "(%s)+1" % inner)]
            yield "index [%s] -> [(%s)-1]" % (inner, inner), [(s, e, "(%s)-1" % inner)]
            if size and size not in inner:
                yield "index [%s] -> [%s-1]" % (inner, size), [(s, e, "%s-1" % size)]
        elif re.fullmatch(r"v(load|store)\d+", t.text) and k + 1 < len(toks) and toks[k + 1].text == "(":
            j = _match(toks, k + 1, "(", ")")
            if j is None:
                continue
            # offset argument: first for vload, second for vstore
            args, level, start = [], 0, k + 2
            for m in range(k + 2, j):
                x = toks[m].text
                if x in "([":
                    level += 1
                elif x in ")]":
                    level -= 1
                elif x == "," and level == 0:
                    args.append((start, m - 1))
                    start = m + 1
            args.append((start, j - 1))
            which = 0 if t.text.startswith("vload") else 1
            if which >= len(args):
                continue
            a, b = args[which]
            s, e = toks[a].start, toks[b].end
            inner = src[s:e]
            for d in ("+1", "-1"):
                yield "index %s offset %s -> (%s)%s" % (t.text, inner, inner, d), [(s, e, "(%s)%s" % (inner, d))]


def mut_guard(src, toks):
    for k, t in enumerate(toks):
        if t.depth == 0 or t.text != "if" or k + 1 >= len(toks) or toks[k + 1].text != "(":
            continue
        j = _match(toks, k + 1, "(", ")")
        if j is None:
            continue
        s, e = toks[k + 2].start, toks[j - 1].end
        cond = src[s:e]
        for r in ("1", "0"):
            yield "guard if (%s) -> if (%s)" % (cond, r), [(s, e, r)]


def mut_barrier(src, toks):
    for k, t in enumerate(toks):
        if t.text not in ("barrier", "mem_fence", "sub_group_barrier") or k + 1 >= len(toks) or toks[k + 1].text != "(":
            continue
        j = _match(toks, k + 1, "(", ")")
        if j is None or j + 1 >= len(toks) or toks[j + 1].text != ";":
            continue
        s, e = t.start, toks[j + 1].end
        stmt = src[s:e]
        yield "barrier %s deleted" % stmt, [(s, e, "")]
        # moved past the next statement (the next ';' at this depth)
        for m in range(j + 2, len(toks)):
            if toks[m].text in ("{", "}"):
                break
            if toks[m].text == ";":
                yield "barrier %s moved down one statement" % stmt, [(s, e, ""), (toks[m].end, toks[m].end, " " + stmt)]
                break
        # moved above the previous statement
        prev = None
        for m in range(k - 1, -1, -1):
            if toks[m].text in ("{", "}"):
                break
            if toks[m].text == ";":
                if prev is None:
                    prev = m
                    continue
                yield "barrier %s moved up one statement" % stmt, [(toks[m].end, toks[m].end, " " + stmt), (s, e, "")]
                break
        else:
            if prev is not None and m >= 0 and toks[m].text == "{":
                yield "barrier %s moved up one statement" % stmt, [(toks[m].end, toks[m].end, " " + stmt), (s, e, "")]


def mut_loop(src, toks):
    for k, t in enumerate(toks):
        if t.text != "for" or k + 1 >= len(toks) or toks[k + 1].text != "(":
            continue
        j = _match(toks, k + 1, "(", ")")
        if j is None:
            continue
        semis = [m for m in range(k + 2, j) if toks[m].text == ";" and toks[m].depth == t.depth]
        if len(semis) != 2:
            continue
        c0, c1 = semis[0] + 1, semis[1] - 1
        cmp = [m for m in range(c0, c1 + 1) if toks[m].text in COMPARES]
        if cmp:
            m = cmp[0]
            s, e = toks[m + 1].start, toks[c1].end
            rhs = src[s:e]
            for d in ("-1", "+1"):
                yield "loop bound %s -> (%s)%s" % (rhs, rhs, d), [(s, e, "(%s)%s" % (rhs, d))]
        if semis[1] + 1 <= j - 1:
            s, e = toks[semis[1] + 1].start, toks[j - 1].end
            step = src[s:e]
            var = next((toks[m].text for m in range(semis[1] + 1, j) if toks[m].kind == "id"), None)
            if var is None:
                continue
            yield "loop step %s -> %s += 2" % (step, var), [(s, e, "%s += 2" % var)]
            mm = re.fullmatch(r"\s*(\w+)\s*([+\-*]=|<<=|>>=)\s*(.+?)\s*", step)
            if mm:
                v, op, amt = mm.groups()
                for r in ("(%s)+1" % amt, "(%s)*2" % amt):
                    yield "loop step %s -> %s %s %s" % (step, v, op, r), [(s, e, "%s %s %s" % (v, op, r))]


# ------------------------------------------------------------ bit-level

_ZERO = re.compile(r"-?(0|0\.0*|\.0+|0\.)[fF]?")


def _ivec(ty):
    """as_int / as_uint names and the int type for a float type."""
    n = ty[len("float"):]
    return "as_int" + n, "as_uint" + n, "int" + n, "uint" + n


def _sign_rewrites(a, ty, op):
    """Rewrites of `a op 0` (a float of type ty) that look at the bits."""
    as_i, as_u, _, _ = _ivec(ty)
    neg = {
        "<": ["%s(%s) < 0" % (as_i, a), "signbit(%s)" % a, "(%s(%s) >> 31)" % (as_u, a),
              "(%s(%s) >> 31) != 0" % (as_i, a), "%s(%s) > 0x80000000u" % (as_u, a),
              "%s(%s) < 0 && %s != 0.0f" % (as_i, a, a), "isless(%s, 0.0f)" % a],
        "<=": ["%s(%s) <= 0" % (as_i, a), "(signbit(%s) || %s == 0.0f)" % (a, a),
               "%s(%s) >= 0x80000000u" % (as_u, a), "islessequal(%s, 0.0f)" % a],
        ">": ["%s(%s) > 0" % (as_i, a), "(!signbit(%s) && %s != 0.0f)" % (a, a),
              "(%s(%s) >> 31) == 0 && %s(%s) != 0" % (as_u, a, as_u, a), "isgreater(%s, 0.0f)" % a],
        ">=": ["%s(%s) >= 0" % (as_i, a), "!signbit(%s)" % a, "(%s(%s) >> 31) == 0" % (as_u, a),
               "(%s(%s) >= 0 || %s == 0.0f)" % (as_i, a, a), "isgreaterequal(%s, 0.0f)" % a],
        "==": ["(%s(%s) & 0x7fffffffu) == 0" % (as_u, a), "%s(%s) == 0" % (as_i, a)],
        "!=": ["(%s(%s) & 0x7fffffffu) != 0" % (as_u, a), "%s(%s) != 0" % (as_i, a)],
    }
    return neg.get(op, [])


FLIP = {"<": ">", ">": "<", "<=": ">=", ">=": "<=", "==": "==", "!=": "!="}


def _float_operand(src, toks, k, names, backwards):
    """The float operand ending (backwards) or starting at toks[k]: a float
    variable or p[...] of a float pointer. Returns (s, e, text, type)."""
    t = toks[k]
    if not backwards:
        if t.kind == "id" and names.get(t.text, "").startswith("float"):
            return t.start, t.end, t.text, names[t.text]
        if t.kind == "id" and names.get(t.text, "").startswith("*") and k + 1 < len(toks) and toks[k + 1].text == "[":
            j = _match(toks, k + 1, "[", "]")
            if j is not None:
                return t.start, toks[j].end, src[t.start:toks[j].end], names[t.text][1:]
        return None
    if t.kind == "id" and names.get(t.text, "").startswith("float"):
        if k > 0 and toks[k - 1].text in (".", "->"):
            return None
        return t.start, t.end, t.text, names[t.text]
    if t.text == "]":
        level = 0
        for m in range(k, -1, -1):
            if toks[m].text == "]":
                level += 1
            elif toks[m].text == "[":
                level -= 1
                if level == 0:
                    if m > 0 and names.get(toks[m - 1].text, "").startswith("*"):
                        return toks[m - 1].start, t.end, src[toks[m - 1].start:t.end], names[toks[m - 1].text][1:]
                    return None
    return None


def mut_bits(src, toks):
    names = float_names(src)
    for k, t in enumerate(toks):
        if t.depth == 0:
            continue
        # a op 0  /  0 op a
        if t.text in COMPARES and 0 < k < len(toks) - 1:
            left = _float_operand(src, toks, k - 1, names, True)
            right = toks[k + 1]
            if left and right.kind == "num" and _ZERO.fullmatch(right.text):
                if k + 2 < len(toks) and toks[k + 2].text in ("[", "(", ".", "*", "/"):
                    continue
                s, e = left[0], right.end
                for r in _sign_rewrites(left[2], left[3], t.text):
                    yield "bits %s -> %s" % (src[s:e], r), [(s, e, "(" + r + ")")]
            elif left:
                # a op c (c a float literal, maybe negated, or a float
                # variable): compare the int bits instead
                m = k + 1
                neg = ""
                if toks[m].text == "-" and m + 1 < len(toks):
                    neg, m = "-", m + 1
                c = toks[m]
                if c.kind == "num" and is_float_lit(c.text):
                    ctext = neg + c.text
                elif not neg and c.kind == "id" and names.get(c.text) == left[3]:
                    ctext = c.text
                else:
                    ctext = None
                if ctext and not (m + 1 < len(toks) and toks[m + 1].text in ("[", "(", ".", "*", "/")):
                    as_i = _ivec(left[3])[0]
                    s, e = left[0], c.end
                    cty = left[3] if c.kind == "id" else "float"
                    r = "%s(%s) %s %s(%s)" % (as_i, left[2], t.text, _ivec(cty)[0], ctext)
                    yield "bits %s -> %s" % (src[s:e], r), [(s, e, "(" + r + ")")]
            left_num = toks[k - 1]
            rop = _float_operand(src, toks, k + 1, names, False)
            if rop and left_num.kind == "num" and _ZERO.fullmatch(left_num.text):
                if k >= 2 and toks[k - 2].text in ("-", "*", "/", "+"):
                    continue
                s, e = left_num.start, rop[1]
                for r in _sign_rewrites(rop[2], rop[3], FLIP[t.text]):
                    yield "bits %s -> %s" % (src[s:e], r), [(s, e, "(" + r + ")")]
        # fabs(E) -> masks; fmax(E, 0) -> int max on the bits
        if t.kind == "id" and t.text in ("fabs", "fmax", "max") and k + 1 < len(toks) and toks[k + 1].text == "(":
            j = _match(toks, k + 1, "(", ")")
            if j is None:
                continue
            inner = src[toks[k + 2].start:toks[j - 1].end]
            ty = "float"
            op = _float_operand(src, toks, k + 2, names, False)
            if op:
                ty = op[3]
            as_i, as_u, _, _ = _ivec(ty)
            as_f = "as_" + ty
            if t.text == "fabs":
                for r in ("%s(%s(%s) & 0x7fffffffu)" % (as_f, as_u, inner),
                          "%s(%s(%s) & 0x7fffffff)" % (as_f, as_i, inner),
                          "%s(%s(%s) << 1 >> 1)" % (as_f, as_u, inner),
                          "copysign(%s, 1.0f)" % inner):
                    yield "bits fabs(%s) -> %s" % (inner, r), [(t.start, toks[j].end, r)]
            else:
                parts = [p.strip() for p in inner.split(",")]
                if len(parts) == 2 and _ZERO.fullmatch(parts[1]):
                    r = "%s(max(%s(%s), 0))" % (as_f, as_i, parts[0])
                    yield "bits %s(%s) -> %s" % (t.text, inner, r), [(t.start, toks[j].end, r)]
        # unary minus of a float variable -> xor of the sign bit
        if t.text == "-" and k + 1 < len(toks) and (k == 0 or not _is_value_end(toks[k - 1])):
            op = _float_operand(src, toks, k + 1, names, False)
            if op:
                as_u = _ivec(op[3])[1]
                r = "as_%s(%s(%s) ^ 0x80000000u)" % (op[3], as_u, op[2])
                yield "bits -%s -> %s" % (op[2], r), [(t.start, op[1], r)]


OPERATORS = {
    "binop": mut_binop,
    "compare": mut_compare,
    "const": mut_const,
    "index": mut_index,
    "guard": mut_guard,
    "barrier": mut_barrier,
    "loop": mut_loop,
    "bits": mut_bits,
}


def mutants(src):
    """Every single-site mutant of src: [(operator, description, text)]."""
    toks = tokenize(src)
    out = []
    for name, fn in OPERATORS.items():
        for desc, edits in fn(src, toks):
            try:
                text = apply_edits(src, edits)
            except ValueError:
                continue
            if text != src:
                out.append((name, desc, text))
    return out
