"""The pass/fail bookkeeping every CLI test script shares: `check` prints
one `ok` / `FAIL` line per behaviour and records the failures, which the
script reports and turns into its exit status at the end (`finish`, or its
own summary over `failures`).
"""
import sys

failures = []


def check(name, cond, detail=""):
    if cond:
        print(f"ok   {name}")
    else:
        failures.append(f"{name}: {detail}")
        print(f"FAIL {name}: {detail}")
    sys.stdout.flush()


def finish(what="checks"):
    if failures:
        print(f"{len(failures)} of the {what} failed")
        sys.exit(1)
    print(f"all {what} passed")
