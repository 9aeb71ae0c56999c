"""Helpers shared by the gate tests (tests/cli/gate_*_test.py): scratch
trees of pairs, running `ksynth gate`, checks, and a venv with the schema
validators (jsonschema, xmlschema from PyPI) under the build folder.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
from checks import check, failures  # noqa: E402

KSYNTH = os.path.abspath(sys.argv[1])
ROOT = os.path.abspath(sys.argv[2])
SCHEMAS = os.path.join(ROOT, "tests", "cli", "data", "schemas")



def finish():
    if failures:
        print(f"{len(failures)} check(s) failed: {', '.join(failures)}")
        sys.exit(1)
    print("all checks passed")


def scratch():
    d = tempfile.mkdtemp(prefix="ksynth-gate-test-")
    return d


def copy_example(dst, problem, candidates):
    """Copies examples/<problem> into dst/<problem> with an index holding
    only CANDIDATES: a list of (name, spec, manifest, expect or None)."""
    src = os.path.join(ROOT, "examples", problem)
    out = os.path.join(dst, problem)
    shutil.copytree(src, out)
    cands = []
    for name, spec, manifest, expect in candidates:
        c = {"name": name, "spec": spec, "manifest": manifest}
        if expect:
            c["expect"] = expect
        cands.append(c)
    with open(os.path.join(out, "candidates.json"), "w") as f:
        json.dump({"problem": problem, "candidates": cands}, f, indent=1)
    return out


def gate(*args, cache=None, env=None, cwd=None, timeout=600):
    e = dict(os.environ)
    if cache is not None:
        e["KSYNTH_CACHE_DIR"] = cache
    if env:
        e.update(env)
    p = subprocess.run([KSYNTH, "gate", *args], capture_output=True,
                       text=True, timeout=timeout, env=e, cwd=cwd)
    return p.returncode, p.stdout, p.stderr


def report(path):
    with open(path) as f:
        return json.load(f)


def outcomes(doc):
    return {p["id"]: (p["outcome"], p["cached"]) for p in doc["pairs"]}


def validators():
    """Imports jsonschema and xmlschema, installing them into
    <build>/gate-venv (or $KSYNTH_GATE_VENV) the first time."""
    try:
        import jsonschema  # noqa: F401
        import xmlschema  # noqa: F401
        return jsonschema, xmlschema
    except ImportError:
        pass
    venv = os.environ.get("KSYNTH_GATE_VENV") or os.path.join(
        os.path.dirname(os.path.dirname(os.path.dirname(KSYNTH))), "gate-venv")
    py = os.path.join(venv, "bin", "python3")
    if not os.path.exists(py):
        subprocess.run(["/usr/bin/python3", "-m", "venv", venv], check=True)
    probe = subprocess.run([py, "-c", "import jsonschema, xmlschema"],
                           capture_output=True)
    if probe.returncode != 0:
        subprocess.run([py, "-m", "pip", "install", "-q", "jsonschema",
                        "xmlschema"], check=True)
    site = subprocess.run(
        [py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True).stdout.strip()
    sys.path.insert(0, site)
    import jsonschema
    import xmlschema
    return jsonschema, xmlschema


def validate_junit(path):
    _, xmlschema = validators()
    schema = xmlschema.XMLSchema(os.path.join(SCHEMAS, "junit-10.xsd"))
    try:
        schema.validate(path)
        return ""
    except Exception as e:  # noqa: BLE001
        return str(e)[:500]


def validate_sarif(path):
    jsonschema, _ = validators()
    with open(os.path.join(SCHEMAS, "sarif-schema-2.1.0.json")) as f:
        schema = json.load(f)
    try:
        jsonschema.validate(report(path), schema)
        return ""
    except Exception as e:  # noqa: BLE001
        return str(e)[:500]
