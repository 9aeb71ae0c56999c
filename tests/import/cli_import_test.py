#!/usr/bin/env python3
"""CLI behaviour of `ksynth import` and of model files given as SPEC
(issue 13):

* the KernelBench-style HardTanh imports with domain "finite" (not the
  [0, 1) of torch.rand), the file's sizes as the deployment shape and a
  small odd verification shape, bit-exact;
* `ksynth verify MODEL.py MANIFEST` imports on the fly: the identity cheat
  is refuted (x = 2 style counterexample), the float4 kernel proved;
* the import is cached by content: a second import is served from the cache
  (fast, same JSON), a changed file is imported again;
* `ksynth eval MODEL.py --inputs F` works; --atol/--rtol override the
  tolerance; --eval says so in the spec's name;
* a missing Python environment is one line naming install-python.sh, exit 2.

usage: cli_import_test.py KSYNTH SOURCE_DIR
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

KSYNTH, SRC = sys.argv[1], sys.argv[2]
HERE = os.path.join(SRC, "tests", "import")
EXAMPLE = os.path.join(SRC, "examples", "pytorch_hardtanh")
MODEL = os.path.join(EXAMPLE, "model.py")
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def run(args, env, timeout=900):
    t = time.time()
    p = subprocess.run([KSYNTH] + args, capture_output=True, text=True,
                       env=env, timeout=timeout)
    return p, time.time() - t


def main():
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, KSYNTH_CACHE_DIR=os.path.join(tmp, "cache"))
        out = os.path.join(tmp, "spec.json")
        p, t1 = run(["import", MODEL, "-o", out], env)
        check(p.returncode == 0, "import exits 0 (%s)" % p.stderr.strip())
        if p.returncode != 0:
            return 1
        s = json.load(open(out))
        check(s["domain"] == {"x": "finite"}, "domain of x is finite: %s" %
              s["domain"])
        check(s["inputs"]["x"]["shape"] == ["batch_size", "dim"],
              "x's shape is [batch_size, dim]: %s" % s["inputs"]["x"])
        check(s["shapes"][-1] == {"batch_size": 4096, "dim": 393216},
              "the file's sizes are the last shape: %s" % s["shapes"])
        small = s["shapes"][0]
        check(len(s["shapes"]) == 2 and all(v % 2 == 1 and v < 64
                                            for v in small.values()),
              "a small odd verification shape first: %s" % small)
        check(s["ops"] == [{"op": "hardtanh", "inputs": ["x"], "output": "y",
                            "attrs": {"min_val": -1.0, "max_val": 1.0}}],
              "one hardtanh op with its attrs: %s" % s["ops"])
        check(s["tolerance"] == {"atol": 0, "rtol": 0},
              "bit-exact tolerance: %s" % s["tolerance"])
        cache = os.path.join(tmp, "cache")
        check(len(os.listdir(cache)) == 1, "one cache entry")

        # Cached: fast and identical.
        p, t2 = run(["import", MODEL], env)
        check(p.returncode == 0 and json.loads(p.stdout) == s,
              "a second import gives the same spec")
        check(t2 < 2.0, "the second import is served from the cache "
              "(%.2f s; first %.1f s)" % (t2, t1))
        changed = os.path.join(tmp, "hardtanh_changed.py")
        with open(changed, "w") as f:
            f.write(open(MODEL).read().replace("max_val=1.0", "max_val=0.5"))
        p, _ = run(["import", changed], env)
        check(p.returncode == 0 and
              json.loads(p.stdout)["ops"][0]["attrs"]["max_val"] == 0.5,
              "a changed file is imported again")
        check(len(os.listdir(cache)) == 2, "a second cache entry")

        # verify on the fly (the cache already has the import).
        cheat = os.path.join(EXAMPLE, "identity_cheat.json")
        p, _ = run(["verify", MODEL, cheat, "--json"], env)
        v = json.loads(p.stdout) if p.stdout.strip() else {}
        check(p.returncode == 10 and v.get("verdict") == "refuted",
              "the identity cheat is refuted against the model (exit %d)" %
              p.returncode)
        cx = v.get("counterexample", {})
        check(abs(float(cx.get("candidate", {}).get("value", "0"))) > 1,
              "its counterexample has |x| > 1: %s" % cx.get("candidate"))
        f4 = os.path.join(EXAMPLE, "float4.json")
        p, _ = run(["verify", MODEL, f4, "--no-self-check", "--deadline",
                    "300"], env)
        check(p.returncode == 0, "the float4 kernel is proved against the "
              "model (exit %d)" % p.returncode)

        # eval on a model file
        inputs = os.path.join(tmp, "in.json")
        n = small["batch_size"] * small["dim"]
        vals = ["2", "-3", "0.5", "-0", "1e30"] + ["0"] * (n - 5)
        json.dump({"x": vals}, open(inputs, "w"))
        p, _ = run(["eval", MODEL, "--inputs", inputs], env)
        ok = p.returncode == 0
        y = json.loads(p.stdout)["y"]["values"][:5] if ok else None
        check(ok and [float(v) for v in y] == [1, -1, 0.5, 0, 1],
              "eval MODEL.py: hardtanh of 2, -3, 0.5, -0, 1e30: %s" % y)

        # tolerance override, --eval note
        p, _ = run(["import", MODEL, "--atol", "0.001", "--rtol", "0"], env)
        check(p.returncode == 0 and json.loads(p.stdout)["tolerance"] ==
              {"atol": 0.001, "rtol": 0}, "--atol/--rtol override")
        p, _ = run(["import", MODEL, "--eval"], env)
        check(p.returncode == 0 and "eval mode" in json.loads(p.stdout)["name"],
              "--eval is said in the spec's name")
        p, _ = run(["import", MODEL, "--atol", "x"], env)
        check(p.returncode == 1, "a bad --atol is a usage error")

        # no Python environment
        # ksynth synth takes a model file too: imported, written to --out
        # as spec.json, and every candidate verified against it.
        relu = os.path.join(tmp, "relu_model.py")
        with open(relu, "w") as f:
            f.write("import torch\nimport torch.nn as nn\n\n"
                    "class Model(nn.Module):\n"
                    "    def forward(self, x):\n"
                    "        return torch.relu(x)\n\n"
                    "batch_size = 8\ndim = 1000\n\n"
                    "def get_inputs():\n"
                    "    return [torch.randn(batch_size, dim)]\n\n"
                    "def get_init_inputs():\n    return []\n")
        sout = os.path.join(tmp, "synth-out")
        p, _ = run(["synth", relu, "--out", sout, "--candidates", "2",
                    "--budget", "120", "-j", "2"], env)
        rep = os.path.join(sout, "report.json")
        ok = p.returncode == 0 and os.path.exists(rep)
        check(ok, "synth on a model file exits 0 with a report (%s)" %
              p.stderr.strip()[-300:])
        if ok:
            r = json.load(open(rep))
            imported = json.load(open(os.path.join(sout, "spec.json")))
            check(imported["ops"][0]["op"] == "relu" and
                  imported["domain"] == {"x": "finite"},
                  "synth wrote the imported spec: %s" % imported["ops"])
            check(any(c["verdict"] == "proved" for c in r["candidates"]),
                  "synth proved a candidate against the model file")

        env2 = dict(env, KSYNTH_PYTHON=os.path.join(tmp, "no", "python"))
        shutil.rmtree(cache)
        p, _ = run(["import", MODEL, "-o", os.path.join(tmp, "none.json")],
                   env2)
        check(p.returncode == 2 and "install-python.sh" in p.stderr and
              len(p.stderr.strip().splitlines()) == 1 and
              not os.path.exists(os.path.join(tmp, "none.json")),
              "no Python: exit 2, one line naming install-python.sh (%s)" %
              p.stderr.strip())
    print("PASS" if not failures else "%d FAILED" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
