#!/usr/bin/env python3
"""The layering check (cmake/Layering.cmake) on scratch trees: a clean tree
configures; an #include between project folders that the table does not
allow, a third-party header outside its owner, a file in an undeclared
folder fail the configure step with the file, line and include; sub-folder
entries (verify/exec, verify/discharge) have dependencies of their own;
link edges between the folders' targets follow the same table. The real
tree passes the same check run as a script.

usage: layering_test.py CMAKE REPO_ROOT
"""
import os
import subprocess
import sys
import tempfile
from checks import check, failures  # noqa: E402

CMAKE, ROOT = sys.argv[1], os.path.abspath(sys.argv[2])
LAYERING = os.path.join(ROOT, "cmake", "Layering.cmake")



# A tree shaped like the project: each file with its includes, all allowed.
CLEAN = {
    "support/Error.h": ["<string>"],
    "solver/Expr.h": ['"support/Error.h"'],
    "solver/Z3Solver.cpp": ["<z3.h>", '"solver/Expr.h"'],
    "spec/Spec.h": ['"support/Error.h"'],
    "spec/ops/Conv.h": ['"spec/Spec.h"'],
    "verify/Verifier.h": ['"spec/Spec.h"', '"solver/Expr.h"'],
    "verify/compile/Compile.cpp": ["<llvm/IR/Module.h>",
                                   '"verify/core/VerifyOptions.h"'],
    "runtime/Job.h": ['"spec/Spec.h"', '"runtime/worker/Base64.h"'],
    "runtime/worker/Base64.h": ["<string>"],
    "runtime/worker/worker.cpp": ["<CL/cl.h>", '"Base64.h"'],
    "tools/ksynth/main.cpp": ['"verify/Verifier.h"', '"runtime/Job.h"',
                              '"solver/Expr.h"', '"Commands.h"'],
    "tests/unit/verify/VerifierTest.cpp": ['"verify/Verifier.h"',
                                           '"solver/Expr.h"'],
}


def write_tree(root, files, table_lines=""):
    for rel, includes in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(f"// {rel}: a scratch file\n\n")
            for inc in includes:
                f.write(f"#include {inc}\n")
    with open(os.path.join(root, "CMakeLists.txt"), "w") as f:
        f.write("cmake_minimum_required(VERSION 3.20)\n"
                "project(scratch LANGUAGES NONE)\n"
                f'include("{LAYERING}")\n'
                f"{table_lines}"
                "ksynth_check_layering()\n")


def configure(files, table_lines=""):
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "src")
        write_tree(src, files, table_lines)
        p = subprocess.run([CMAKE, "-S", src, "-B", os.path.join(tmp, "b")],
                           capture_output=True, text=True, timeout=120)
        script = subprocess.run([CMAKE, f"-DKSYNTH_LAYERING_ROOT={src}",
                                 "-P", LAYERING],
                                capture_output=True, text=True, timeout=120)
        return p.returncode, p.stdout + p.stderr, script.returncode


def expect_clean(name, files, table_lines=""):
    rc, out, src = configure(files, table_lines)
    check(name, rc == 0 and (src == 0 or table_lines),
          f"configure exit {rc}, script exit {src}\n{out}")


def expect_violation(name, files, needles, table_lines=""):
    rc, out, src = configure(files, table_lines)
    flat = " ".join(out.split())  # CMake may wrap long message lines
    missing = [n for n in needles if n not in flat]
    check(name, rc != 0 and (src != 0 or table_lines) and not missing
          and "Layering violations" in flat,
          f"configure exit {rc}, script exit {src}, missing {missing}\n{out}")


def with_file(rel, includes):
    files = dict(CLEAN)
    files[rel] = includes
    return files


# The real tree passes, and the top-level CMakeLists.txt runs the check.
p = subprocess.run([CMAKE, f"-DKSYNTH_LAYERING_ROOT={ROOT}", "-P", LAYERING],
                   capture_output=True, text=True, timeout=120)
check("the real tree passes", p.returncode == 0, p.stdout + p.stderr)
top = open(os.path.join(ROOT, "CMakeLists.txt")).read()
check("CMakeLists.txt runs the check at configure and build time",
      "ksynth_check_layering()" in top and
      "ksynth_add_layering_target()" in top)

expect_clean("a clean scratch tree configures", CLEAN)

# runtime/ may use spec/ but not verify/ (line 4: two header lines, then
# spec, then verify).
expect_violation(
    "runtime including verify fails with file, line, include",
    with_file("runtime/Bad.cpp", ['"spec/Spec.h"', '"verify/Verifier.h"']),
    ['runtime/Bad.cpp:4: #include "verify/Verifier.h": '
     "runtime/ may not include verify/"])
expect_violation(
    "a relative include is resolved before the check",
    with_file("spec/ops/Bad.h", ['"../../verify/Verifier.h"']),
    ['spec/ops/Bad.h:3: #include "../../verify/Verifier.h": '
     "spec/ may not include verify/"])
expect_violation(
    "support including solver fails",
    with_file("support/Bad.h", ['"solver/Expr.h"']),
    ['support/Bad.h:3: #include "solver/Expr.h": '
     "support/ may not include solver/"])
expect_violation(
    "the worker is its own program: no runtime/ headers",
    with_file("runtime/worker/Bad.h", ['"runtime/Job.h"']),
    ['runtime/worker/Bad.h:3: #include "runtime/Job.h": '
     "runtime/worker/ may not include runtime/"])
expect_violation(
    "OpenCL headers belong to the worker only",
    with_file("runtime/Device.cpp", ["<CL/cl.h>"]),
    ["runtime/Device.cpp:3: #include <CL/cl.h>: CL/... belongs in "
     "runtime/worker/ only"])
expect_violation(
    "Z3 headers belong to solver/ only",
    with_file("verify/Smt.cpp", ["<z3.h>"]),
    ["verify/Smt.cpp:3: #include <z3.h>: z3... belongs in solver/ only"])
expect_violation(
    "a runtime unit test including verify fails",
    with_file("tests/unit/runtime/PeekTest.cpp", ['"verify/Verifier.h"']),
    ['tests/unit/runtime/PeekTest.cpp:3: #include "verify/Verifier.h": '
     "tests/unit/runtime/ may not include verify/"])
expect_violation(
    "a folder without an entry fails",
    with_file("tools/other/x.cpp", ['"support/Error.h"']),
    ["tools/other/x.cpp: its folder has no entry"])

# The real table's verify/ sub-folders (issue 11): the contracts in
# verify/core may not reach up into the executor or the methods.
expect_violation(
    "verify/core including verify/exec fails (the real table)",
    with_file("verify/core/Bad.cpp", ['"verify/exec/Executor.h"']),
    ['verify/core/Bad.cpp:3: #include "verify/exec/Executor.h": '
     "verify/core/ may not include verify/exec/"])
expect_violation(
    "the executor including a method fails (the real table)",
    with_file("verify/exec/Bad.cpp", ['"verify/methods/SymbolicRun.h"']),
    ['verify/exec/Bad.cpp:3: #include "verify/methods/SymbolicRun.h": '
     "verify/exec/ may not include verify/methods/"])

# Sub-folders as entries of their own: verify/exec and verify/discharge.
SUB = ('list(APPEND KSYNTH_LAYERING_FOLDERS\n'
       '  "verify/exec|support solver spec"\n'
       '  "verify/discharge|support solver spec verify/exec")\n')
sub_clean = dict(CLEAN)
sub_clean["verify/exec/Executor.h"] = ['"spec/Spec.h"']
sub_clean["verify/discharge/Discharge.cpp"] = ['"verify/exec/Executor.h"']
sub_clean["tools/ksynth/Verify.cpp"] = ['"verify/discharge/Discharge.cpp"']
expect_clean("sub-folder entries with their own dependencies configure",
             sub_clean, SUB)
bad = dict(sub_clean)
bad["verify/exec/Back.cpp"] = ['"verify/discharge/Discharge.cpp"']
expect_violation(
    "a sub-folder including a sibling it may not fails", bad,
    ['verify/exec/Back.cpp:3: #include "verify/discharge/Discharge.cpp": '
     "verify/exec/ may not include verify/discharge/"], SUB)
bad = dict(sub_clean)
bad["verify/exec/Up.cpp"] = ['"verify/Verifier.h"']
expect_violation(
    "a sub-folder including its parent it may not fails", bad,
    ['verify/exec/Up.cpp:3: #include "verify/Verifier.h": '
     "verify/exec/ may not include verify/"], SUB)
bad = dict(sub_clean)
bad["runtime/Peek.cpp"] = ['"verify/exec/Executor.h"']
expect_violation(
    "a folder including a sub-folder of a layer above fails", bad,
    ['runtime/Peek.cpp:3: #include "verify/exec/Executor.h": '
     "runtime/ may not include verify/exec/"], SUB)

# Link edges between the folders' targets follow the same table.
LINKS = ("add_library(ksynth_spec INTERFACE)\n"
         "add_library(ksynth_verify INTERFACE)\n"
         "add_library(ksynth_runtime INTERFACE)\n"
         "target_link_libraries(ksynth_verify INTERFACE ksynth_spec)\n"
         "target_link_libraries(ksynth_runtime INTERFACE ksynth_spec)\n")
expect_clean("allowed link edges configure", CLEAN, LINKS)
expect_violation(
    "runtime's target linking verify's fails", CLEAN,
    ["target ksynth_runtime links ksynth_verify: runtime/ may not include "
     "verify/"],
    LINKS + "target_link_libraries(ksynth_runtime INTERFACE ksynth_verify)\n")

if failures:
    print(f"{len(failures)} layering check(s) failed")
    sys.exit(1)
print("all layering checks passed")
