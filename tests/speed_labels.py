#!/usr/bin/env python3
"""Rewrites tests/slow-tests.txt, the list of tests labelled `slow` (all
others are `quick`: `ctest -L quick` is the developer's loop, CI runs
everything), from the per-test times CTest keeps after a full run
(BUILD/Testing/Temporary/CTestCostData.txt: runs and mean seconds).

A test is slow when its mean time is THRESHOLD seconds or more (default
1.5). A test without a measured time keeps its current line. Corpus kernels
named *_large are slow by rule (tests/CMakeLists.txt) and are not listed;
cli/layering is quick whatever its time (cmake only, about 2 s).

usage: python3 tests/speed_labels.py [BUILD] [--threshold S] [--check]
  --check: print what would change, write nothing, exit 1 if anything would
"""
import argparse
import os
import sys

# Labelled quick in their CMakeLists.txt whatever their time.
FIXED_QUICK = {"cli/layering"}

HERE = os.path.dirname(os.path.abspath(__file__))
LIST = os.path.join(HERE, "slow-tests.txt")

HEADER = """\
# Tests labelled `slow` (every other test is `quick`): those whose mean time
# in a full `ctest -j2` run on the 2-core development machine was {t} s or
# more. Corpus kernels named *_large are slow by rule and not listed here.
# Regenerate after a full run: python3 tests/speed_labels.py build
# (keeps the lines of tests without a measured time). One name per line.
"""


def read_costs(build):
    path = os.path.join(build, "Testing", "Temporary", "CTestCostData.txt")
    costs = {}
    with open(path) as f:
        for line in f:
            if line.startswith("---"):
                break  # the failed tests follow
            parts = line.split()
            if len(parts) == 3 and int(parts[1]) > 0:
                costs[parts[0]] = float(parts[2])
    return costs


def read_list():
    if not os.path.exists(LIST):
        return []
    return [l.strip() for l in open(LIST)
            if l.strip() and not l.startswith("#")]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build", nargs="?", default="build")
    ap.add_argument("--threshold", type=float, default=1.5)
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    costs = read_costs(a.build)
    old = read_list()
    slow = {t for t in old if t not in costs}
    slow |= {t for t, s in costs.items()
             if s >= a.threshold and not t.endswith("_large")}
    slow -= FIXED_QUICK
    new = sorted(slow)
    added = sorted(set(new) - set(old))
    removed = sorted(set(old) - set(new))
    for t in added:
        print(f"+ {t} ({costs.get(t, 0):.2f} s)")
    for t in removed:
        print(f"- {t} ({costs.get(t, 0):.2f} s)")
    quick = sum(s for t, s in costs.items()
                if t not in slow and not t.endswith("_large"))
    print(f"{len(new)} listed slow; measured quick tests: {quick:.0f} s "
          "of test time (about half of it as wall time with -j2)")
    if a.check:
        return 1 if added or removed else 0
    with open(LIST, "w") as f:
        f.write(HEADER.format(t=a.threshold))
        for t in new:
            f.write(t + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
