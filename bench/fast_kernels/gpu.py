#!/usr/bin/env python3
"""The fast-kernels suite on the GPU (issue 12: "the same kernels run on an
NVIDIA H100/H200 through the runtime, beside PyTorch eager and
torch.compile of the same spec measured in the same run").

Three steps, the middle one on the GPU machine (bench/gpu/, runtime/README.md
"GPU procedure"):

    python3 bench/fast_kernels/gpu.py emit [--filter S]
        here: for every kernel of cases.json whose corpus header expects
        `proved`, at the shape of its spec's largest (deployment) shape,
        verify it (a kernel that is not proved here is never emitted) and
        write a bench job (`ksynth bench ... --emit-job`) to
        .carry/fk/<spec>/jobs/<kernel>.json, grouped by spec so that one
        PyTorch baseline serves the kernels of one spec.
    bash -c "$(python3 bench/fast_kernels/gpu.py run-command)"   (on the GPU)
        for each spec folder: bench/gpu/run_on_gpu.sh with that spec, into
        $OUT/<spec>/, and a tar of everything after each (TAR=FILE).
    python3 bench/fast_kernels/gpu.py collect GPU_OUT
        the table: each kernel's median device time, GB/s and fraction of
        the copy bandwidth measured in the same run, beside eager and
        torch.compile.

Python 3 standard library only.
"""

import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile

from run import header  # the corpus header reader of run.py

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CARRY = os.path.join(ROOT, ".carry", "fk")


def size(s):
    n = 1
    for v in s.values():
        n *= max(int(v), 1)
    return n


def largest_shape(spec):
    """The spec's deployment shape (its largest), as K=V,K=V."""
    with open(spec) as f:
        s = max(json.load(f)["shapes"], key=size)
    return ",".join(f"{k}={v}" for k, v in sorted(s.items()))


def shape_size(spec):
    with open(spec) as f:
        return max(size(s) for s in json.load(f)["shapes"])


def emit(a):
    with open(os.path.join(HERE, "cases.json")) as f:
        cases = json.load(f)["kernels"]
    done = set()
    for c in cases:
        kernel = os.path.join(ROOT, c["kernel"])
        if a.filter not in c["kernel"]:
            continue
        h = header(kernel)
        if h.get("EXPECT") != "proved":
            continue
        # the case's deployment shape: the spec with the largest shape
        specs = [os.path.join(HERE, x) for x in c["shapes"].values()]
        for spec in [max(specs, key=lambda p: shape_size(p))]:
            stem = os.path.splitext(os.path.basename(spec))[0]
            key = (kernel, stem)
            if key in done:
                continue
            done.add(key)
            shape = largest_shape(spec)
            manifest = json.loads(h["MANIFEST"])
            manifest["source"] = kernel
            with tempfile.NamedTemporaryFile("w", suffix=".json",
                                             delete=False) as mf:
                json.dump(manifest, mf)
            name = os.path.splitext(os.path.basename(kernel))[0]
            try:
                v = subprocess.run(
                    [a.ksynth, "verify", spec, mf.name, "--shape", shape,
                     "--json", "--no-self-check"],
                    capture_output=True, text=True, timeout=a.timeout)
                try:
                    verdict = json.loads(v.stdout).get("verdict")
                except ValueError:
                    verdict = "no-json"
                if verdict != "proved":
                    print(f"{name} {stem} {shape}: {verdict}, not emitted")
                    continue
                out = os.path.join(CARRY, stem, "jobs", name + ".json")
                os.makedirs(os.path.dirname(out), exist_ok=True)
                with open(os.path.join(CARRY, stem, "spec.txt"), "w") as f:
                    f.write(os.path.relpath(spec, ROOT) + " " +
                            shape.split(",")[0] + "\n")
                r = subprocess.run(
                    [a.ksynth, "bench", spec, mf.name, "--shape", shape,
                     "--device", "nvidia", "--emit-job", out],
                    capture_output=True, text=True, timeout=a.timeout)
                print(f"{name} {stem} {shape}: proved, job exit "
                      f"{r.returncode}", flush=True)
            finally:
                os.unlink(mf.name)
    inc = os.path.join(ROOT, ".carry", "include", "nlohmann")
    if not os.path.isdir(inc):
        subprocess.run(["cp", "-r", "/usr/include/nlohmann",
                        os.path.dirname(inc)], check=False)
    print("on the GPU machine: bash -c \"$(python3 bench/fast_kernels/gpu.py "
          "run-command)\"")


RUN = r"""set -u; ROOT=${OUT:-/tmp/ksynth-fk-gpu}; first=1
for d in .carry/fk/*/; do n=$(basename $d); read spec shape < $d/spec.txt
  rm -rf /tmp/ksynth-gpu/results /tmp/ksynth-gpu/runs
  KW=1; [ $first = 1 ] && KW=0; first=0
  OUT=$ROOT/$n KEEP_WORKER=$KW bash bench/gpu/run_on_gpu.sh $d/jobs $spec $shape
  [ -n "${TAR:-}" ] && tar czf "$TAR" -C "$ROOT" .
done"""


def collect(a):
    rows = []
    for res in sorted(glob.glob(os.path.join(a.gpu_out, "*", "results.json"))):
        spec = os.path.basename(os.path.dirname(res))
        with open(res) as f:
            r = json.load(f)
        pt, ks = {}, {}
        for fname, x in r.items():
            if fname.startswith("pytorch"):
                for mode, y in x.get("results", {}).items():
                    pt.setdefault(mode, []).append(y["event_us"]["median"])
                continue
            if not x.get("ok"):
                ks.setdefault(fname.rsplit(".", 2)[0], []).append(None)
                continue
            b = x["bench"]
            ks.setdefault(fname.rsplit(".", 2)[0], []).append(
                (b["event_us"]["median"], b["copy"]["gbps_read_plus_write"],
                 x.get("meta", {}).get("bytes_moved", 0)))

        def med(v):
            v = sorted(v)
            return v[len(v) // 2]

        eager = med(pt["eager"]) if pt.get("eager") else None
        comp = med(pt["compile"]) if pt.get("compile") else None
        for name, runs in sorted(ks.items()):
            ok = [x for x in runs if x]
            if not ok:
                rows.append(f"| {name} | {spec} | failed | | | | |")
                continue
            us = med([x[0] for x in ok])
            copy = med([x[1] for x in ok])
            gbps = ok[0][2] / (us * 1e3)
            rows.append("| %s | %s | %s | %.0f | %.1f%% | %s | %s |" % (
                name, spec, ", ".join("%.1f" % x[0] for x in ok), gbps,
                100 * gbps / copy if copy else 0,
                "%.1f" % eager if eager else "-",
                "%.1f" % comp if comp else "-"))
    print("| kernel | spec | median us (runs) | GB/s | of copy | eager us "
          "| compile us |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: |")
    print("\n".join(rows))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("emit")
    e.add_argument("--ksynth",
                   default=os.path.join(ROOT, "build/tools/ksynth/ksynth"))
    e.add_argument("--filter", default="")
    e.add_argument("--timeout", type=float, default=600)
    sub.add_parser("run-command")
    c = sub.add_parser("collect")
    c.add_argument("gpu_out")
    a = ap.parse_args()
    if a.cmd == "emit":
        emit(a)
    elif a.cmd == "run-command":
        print(RUN)
    else:
        collect(a)


if __name__ == "__main__":
    sys.exit(main())
