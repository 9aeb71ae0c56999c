#!/usr/bin/env python3
"""What the verdict JSON says about OpenCL build options and implementation
choices (issue 10): the abstraction -cl-mad-enable introduces, the
depends_on_implementation_choice flag of -cl-denorms-are-zero and mul24
counterexamples, and assumptions.build_options.

usage: build_options_test.py KSYNTH_BINARY REPO_ROOT
"""
import json
import os
import re
import subprocess
import sys
import tempfile
from checks import check, failures  # noqa: E402

KSYNTH, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
CORPUS = os.path.join(ROOT, "tests", "corpus")



def verify(rel):
    """Runs a corpus test's kernel as run_corpus.py does; returns the JSON."""
    path = os.path.join(CORPUS, rel)
    head = {}
    for line in open(path):
        m = re.match(r"// ([A-Z_]+): (.*)", line)
        if m:
            head[m.group(1)] = m.group(2)
    manifest = json.loads(head["MANIFEST"])
    manifest["source"] = path
    spec = os.path.normpath(os.path.join(os.path.dirname(path), head["SPEC"]))
    with tempfile.TemporaryDirectory() as tmp:
        mp = os.path.join(tmp, "manifest.json")
        with open(mp, "w") as f:
            json.dump(manifest, f)
        p = subprocess.run([KSYNTH, "verify", spec, mp, "--json"],
                           capture_output=True, text=True, timeout=300)
    return json.loads(p.stdout)


v = verify("unknown/mul_add_mad_enable.cl")
abst = v["assumptions"].get("abstractions", [])
check("mad-enable: unknown approximation",
      v["verdict"] == "unknown" and v.get("unknown_kind") == "approximation",
      str(v.get("reason")))
check("mad-enable: abstractions name a*b+c and the line",
      any("-cl-mad-enable" in a and "mul_add_mad_enable.cl:15:" in a
          for a in abst), str(abst))
check("mad-enable: assumptions.build_options",
      "-cl-mad-enable" in v["assumptions"].get("build_options", {}))

v = verify("proved/mul_add_two_roundings.cl")
check("no option: proved, no abstraction",
      v["verdict"] == "proved" and not v["assumptions"]["abstractions"],
      str(v["assumptions"]["abstractions"]))

v = verify("equivalence/leaky_relu_denorms_are_zero_flushed_product.cl")
cx = v.get("counterexample", {})
check("denorms-are-zero: refutation depends on the implementation choice",
      v["verdict"] == "refuted" and cx.get("depends_on_implementation_choice"),
      json.dumps(cx)[:300])
check("denorms-are-zero: recorded in assumptions.fp",
      "-cl-denorms-are-zero" in v["assumptions"]["fp"], v["assumptions"]["fp"])

v = verify("equivalence/hardtanh_denorms_are_zero_select_as_max.cl")
cx = v.get("counterexample", {})
check("denorms-are-zero: a float select may flush (min/max)",
      v["verdict"] == "refuted" and cx.get("depends_on_implementation_choice"),
      json.dumps(cx)[:300])

v = verify("proved/hardtanh_denorms_are_zero_int_mask.cl")
check("denorms-are-zero: proved for both behaviours, self-checked on PoCL",
      v["verdict"] == "proved", v.get("reason", ""))

v = verify("proved/relu_sqrt_correctly_rounded.cl")
opts = v["assumptions"].get("build_options", {})
check("correctly rounded sqrt: proved and said so",
      v["verdict"] == "proved" and "correctly rounded" in
      opts.get("-cl-fp32-correctly-rounded-divide-sqrt", "") and
      not any("sqrt" in a for a in v["assumptions"]["abstractions"]),
      json.dumps(v["assumptions"])[:400])

v = verify("equivalence/hardtanh_mul24_operand_over_24_bits.cl")
check("mul24 out of range: implementation-defined",
      v["verdict"] == "refuted" and
      v["counterexample"].get("depends_on_implementation_choice"),
      json.dumps(v.get("counterexample", {}))[:300])

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
