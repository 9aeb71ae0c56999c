#!/usr/bin/env python3
"""`ksynth gate` reports and exit policy (issue 15): JUnit validates against
the JUnit XSD and SARIF against the SARIF 2.1.0 schema (tests/cli/data/
schemas); SARIF results point at the kernel's .cl file and carry the
counterexample; exit codes: 0 all passed, 10 refuted / expectation
mismatch, 2 error, 5 unknown only (with --unknown=fail; 0 with warn).

usage: gate_reports_test.py KSYNTH_BINARY REPO_ROOT
"""
import json
import os
import shutil

from gate_util import (ROOT, check, copy_example, finish, gate, report,
                       scratch, validate_junit, validate_sarif)

d = scratch()
cache = os.path.join(d, "cache")
try:
    # 1. Expectations that all match: exit 0, even with a refuted pair.
    t1 = os.path.join(d, "t1")
    os.makedirs(t1)
    copy_example(t1, "relu", [("relu", "spec.json", "relu.json", "proved"),
                              ("fmax_wrong", "spec.json", "fmax_wrong.json",
                               "refuted")])
    j, x, s, m = (os.path.join(d, n) for n in
                  ("r.json", "r.xml", "r.sarif", "r.md"))
    rc, out, err = gate(t1, "--json", j, "--junit", x, "--sarif", s,
                        "--markdown", m, "--no-cache", cwd=d)
    check("expectations met: exit 0", rc == 0, (rc, out, err))
    check("progress line per pair (plain, not a terminal)",
          out.count("t1/relu/") >= 2 and "\r" not in out, out)
    check("summary with counts and slowest",
          "1 proved, 1 refuted" in out and "slowest" in out, out)
    check("junit validates (all pass)", validate_junit(x) == "",
          validate_junit(x))
    check("sarif validates (no results)", validate_sarif(s) == "",
          validate_sarif(s))
    doc = report(j)
    check("json report: one verdict per pair in the verdict format",
          len(doc["pairs"]) == 2 and
          all("verdict" in p["verdict"] and "exit_code" in p["verdict"]
              for p in doc["pairs"]), doc["pairs"])

    # 2. No expectations: refuted fails (10) with SARIF at the kernel.
    t2 = os.path.join(d, "t2")
    os.makedirs(t2)
    copy_example(t2, "relu", [("relu", "spec.json", "relu.json", None),
                              ("fmax_wrong", "spec.json", "fmax_wrong.json",
                               None)])
    rc, out, err = gate(t2, "--junit", x, "--sarif", s, "--markdown", m,
                        "--json", j, "--no-cache", cwd=d)
    check("refuted without expectation: exit 10", rc == 10, (rc, out, err))
    check("junit validates (failure)", validate_junit(x) == "",
          validate_junit(x))
    xml = open(x).read()
    check("junit failure carries the counterexample",
          "<failure" in xml and "reference" in xml and "candidate" in xml,
          xml[:2000])
    check("sarif validates (refuted)", validate_sarif(s) == "",
          validate_sarif(s))
    sarif = report(s)
    res = sarif["runs"][0]["results"]
    rules = [r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]]
    check("sarif: one rule per obligation kind",
          {"equivalence", "coverage", "data-race", "memory-safety",
           "barrier-divergence"} <= set(rules), rules)
    loc = res[0]["locations"][0]["physicalLocation"] if res else {}
    check("sarif: result for the refuted pair at its .cl source line",
          len(res) == 1 and res[0]["ruleId"] == "equivalence" and
          loc["artifactLocation"]["uri"].endswith("fmax_wrong.cl") and
          loc["region"]["startLine"] >= 1 and
          "reference" in res[0]["message"]["text"], res)
    # fmax_wrong.cl line 7 is "    y[i] = fmax(x[i], 0.0f);": the store.
    check("sarif: region at the failing store (line and column)",
          loc.get("region") == {"startLine": 7, "startColumn": 10} and
          "fmax_wrong.cl:7:10 (store)" in res[0]["message"]["text"], loc)
    vj = [p for p in report(j)["pairs"] if p["id"].endswith("fmax_wrong")]
    vloc = vj[0]["verdict"]["counterexample"].get("location") if vj else None
    check("json report: the verdict's counterexample location",
          vloc is not None and vloc["line"] == 7 and vloc["column"] == 10 and
          vloc["what"] == "store" and vloc["file"].endswith("fmax_wrong.cl"),
          vloc)
    md = open(m).read()
    check("markdown summary names the failing pair",
          "FAILED" in md and "fmax_wrong" in md, md)

    # 3. Unknown only: 5 with --unknown=fail, 0 with --unknown=warn.
    t3 = os.path.join(d, "t3")
    os.makedirs(t3)
    copy_example(t3, "hardsigmoid",
                 [("approx_div", "spec.json", "hardsigmoid_approx_div.json",
                   None)])
    rc, out, err = gate(t3, "--no-cache", "--junit", x, cwd=d)
    check("unknown with --unknown=fail (default): exit 5", rc == 5,
          (rc, out, err))
    check("junit validates (skipped)", validate_junit(x) == "",
          validate_junit(x))
    rc, out, err = gate(t3, "--no-cache", "--unknown=warn", "--junit", x,
                        "--sarif", s, cwd=d)
    check("unknown with --unknown=warn: exit 0", rc == 0, (rc, out, err))
    check("junit: unknown is skipped with the reason",
          "<skipped" in open(x).read() and "approximation" in open(x).read(),
          open(x).read()[:1500])
    check("sarif validates (warning)",
          validate_sarif(s) == "" and
          report(s)["runs"][0]["results"][0]["level"] == "warning",
          validate_sarif(s))

    # 4. A kernel that does not compile: exit 2, JUnit error.
    t4 = os.path.join(d, "t4")
    bad = copy_example(t4, "relu", [("broken", "spec.json", "broken.json",
                                     None)])
    with open(os.path.join(bad, "broken.cl"), "w") as f:
        f.write("__kernel void relu(__global const float *x) {\n"
                "  this is not C;\n}\n")
    with open(os.path.join(bad, "broken.json"), "w") as f:
        json.dump({"source": "broken.cl", "launches": json.load(
            open(os.path.join(bad, "relu.json")))["launches"]}, f)
    rc, out, err = gate(t4, "--no-cache", "--junit", x, "--sarif", s, cwd=d)
    check("error pair: exit 2", rc == 2, (rc, out, err))
    xml = open(x).read()
    check("junit: error element", "<error" in xml, xml[:1500])
    sres = report(s)["runs"][0]["results"]
    check("sarif: error located at the compiler's line",
          validate_sarif(s) == "" and sres and
          sres[0]["locations"][0]["physicalLocation"]["region"]["startLine"]
          == 2, sres)

    # 5. An expectation that is not met: exit 10 even though it's proved.
    t5 = os.path.join(d, "t5")
    os.makedirs(t5)
    copy_example(t5, "relu", [("relu", "spec.json", "relu.json", "refuted")])
    rc, out, err = gate(t5, "--no-cache", "--sarif", s, cwd=d)
    check("expectation mismatch: exit 10", rc == 10 and
          "expected refuted, got proved" in out, (rc, out, err))
    check("sarif: expectation rule",
          report(s)["runs"][0]["results"][0]["ruleId"] == "expectation",
          report(s))

    # A race without an expectation: the result at the store, the other
    # access (the load) as a related location; still valid SARIF.
    t6 = os.path.join(d, "t6")
    os.makedirs(t6)
    race = os.path.join(ROOT, "tests", "corpus", "data-race",
                        "fused_chain_temp_neighbour_race.cl")
    lines = [ln for ln in open(race).read().split("\n")
             if not ln.startswith(("// EXPECT", "// OBLIGATION",
                                   "// LOCATION", "// OTHER_LOCATION"))]
    specs = os.path.join(ROOT, "tests", "corpus", "specs") + "/"
    with open(os.path.join(t6, "race.cl"), "w") as f:
        f.write("// EXPECT: proved\n" +
                "\n".join(lines).replace("../specs/", specs))
    body = open(os.path.join(t6, "race.cl")).read().split("\n")
    store = 1 + next(i for i, ln in enumerate(body)
                     if ln.strip() == "t[i] = r;")
    load = 1 + next(i for i, ln in enumerate(body)
                    if "float w = t[i - 1];" in ln)
    rc, out, err = gate(t6, "--no-cache", "--sarif", s, cwd=d)
    res = report(s)["runs"][0]["results"]
    rel = res[0].get("relatedLocations", [{}]) if res else [{}]
    check("sarif: a race at its store, the load as a related location",
          validate_sarif(s) == "" and len(res) == 1 and
          res[0]["locations"][0]["physicalLocation"]["region"]["startLine"]
          == store and
          rel[0].get("physicalLocation", {}).get("region", {}).get(
              "startLine") == load and
          rel[0].get("message", {}).get("text") == "load",
          (store, load, res))

    # The validators reject what is not valid (so the checks above can fail).
    doc = report(s)
    del doc["runs"][0]["tool"]
    with open(s, "w") as f:
        json.dump(doc, f)
    check("sarif validator rejects a run without tool", validate_sarif(s) != "")
    with open(x, "w") as f:
        f.write('<testsuites><testsuite name="a"><testcase/></testsuite>'
                '</testsuites>')
    check("junit validator rejects a testcase without name",
          validate_junit(x) != "")

    # 6. Usage errors.
    rc, out, err = gate("--shard", "3/2", cwd=d)
    check("bad --shard: exit 1, one line", rc == 1 and
          len(err.strip().splitlines()) == 1, (rc, err))
    rc, out, err = gate(os.path.join(d, "missing"), cwd=d)
    check("missing path: exit 2", rc == 2 and "missing" in err, (rc, err))
finally:
    shutil.rmtree(d, ignore_errors=True)
finish()
