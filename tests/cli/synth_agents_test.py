#!/usr/bin/env python3
"""ksynth synth's LLM agents (issue 16) against a scripted loopback server
(tests/cli/data/llm_test_server.py, started here on 127.0.0.1, port 0; no
outside network): both providers' formats, 429 with Retry-After, 500 then
success, a stalled body (total timeout), malformed JSON, a reply without
code, an oversized reply, 401 and 404 (exit 2, one line); a wrong kernel is
refuted and its counterexample is in the next request's prompt, then a
correct kernel is proved and becomes the best; duplicates of a refuted
kernel (same compiled IR) stop the agent; --max-tokens / --max-requests
stop the spending; -j 2 runs two agents with different strategies; a
recorded multi-round synthesis is replayed with the server stopped and
gives the same candidates, verdicts and best kernel; the fake key appears
in no output, report or recording.

usage: synth_agents_test.py KSYNTH SOURCE_DIR
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

K, SRC = sys.argv[1], sys.argv[2]
RELU = os.path.join(SRC, "examples/relu/spec.json")
SERVER = os.path.join(SRC, "tests/cli/data/llm_test_server.py")
FAST = ["--iters", "5", "--warmup", "1", "--rotate", "1", "--flush-mb", "8",
        "--no-self-check"]
KEY = "sk-FAKE-ksynth-test-0123456789"
WRONG = open(os.path.join(SRC, "examples/relu/fmax_wrong.cl")).read()
CORRECT = open(os.path.join(SRC, "tests/synth/planted/correct.cl")).read()
MANIFEST = ('{"launches": [{"kernel": "relu", "args": ["x", "y", "N"], '
            '"global": ["N"]}]}')
failures = []
outputs = []  # every stdout/stderr, searched for the key at the end
tmp = tempfile.mkdtemp(prefix="synth_agents_")


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def reply(kernel, usage=(1000, 200)):
    return {"reply": "Here is my kernel.\n```c\n" + kernel + "```\n"
            "```json\n" + MANIFEST + "\n```\n", "usage": list(usage)}


class Server:
    def __init__(self, name, script, tls=None):
        self.dir = os.path.join(tmp, name)
        os.makedirs(self.dir, exist_ok=True)
        self.log = os.path.join(self.dir, "requests.jsonl")
        sp = os.path.join(self.dir, "script.json")
        json.dump(script, open(sp, "w"))
        self.p = subprocess.Popen(
            [sys.executable, SERVER, sp, self.log, "--key", KEY] +
            (["--tls", *tls] if tls else []),
            stdout=subprocess.PIPE, text=True)
        line = self.p.stdout.readline().split()
        assert line and line[0] == "PORT", line
        self.url = ("https" if tls else "http") + "://127.0.0.1:" + line[1]

    def requests(self):
        if not os.path.exists(self.log):
            return []
        return [json.loads(l) for l in open(self.log) if l.strip()]

    def stop(self):
        self.p.kill()
        self.p.wait()


def synth(name, agent, base, *args, key=KEY, env_key="OPENAI_API_KEY",
          model="gpt-test"):
    out = os.path.join(tmp, name, "out")
    env = dict(os.environ)
    env.pop("OPENAI_API_KEY", None)
    env.pop("ANTHROPIC_API_KEY", None)
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    for k in ((env_key,) if isinstance(env_key, str) else env_key):
        if key:
            env[k] = key
    cmd = [K, "synth", RELU, "--agent", agent, "--out", out, *FAST, *args]
    if model:
        cmd += ["--model", model]
    if base:
        cmd += ["--base-url", base]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=300,
                       env=env, stdin=subprocess.DEVNULL)
    outputs.append(p.stdout + p.stderr)
    print(f"--- {name}: exit {p.returncode}\n{p.stdout}{p.stderr[-1500:]}")
    rep = None
    if os.path.exists(os.path.join(out, "report.json")):
        rep = json.load(open(os.path.join(out, "report.json")))
    return p, rep, out


# 1. openai format, recorded: 429 with Retry-After, a wrong kernel, 500
#    then the correct kernel (a multi-round synthesis).
rec = os.path.join(tmp, "recording")
s = Server("openai", [{"status": 429, "retry_after": 1}, reply(WRONG),
                      {"status": 500}, reply(CORRECT, (1100, 210))])
p, rep, out1 = synth("openai", "openai", s.url, "--record", rec)
reqs = s.requests()
s.stop()
check(p.returncode == 0, "openai run exits 0")
check(all(r["key_ok"] for r in reqs) and
      all(r["path"] == "/v1/chat/completions" for r in reqs),
      "every request carries the key as Bearer, on /v1/chat/completions")
check("retrying in 1.0 s (1/4): HTTP 429" in p.stderr,
      "429 with Retry-After: 1 is retried after 1 s")
check("HTTP 500" in p.stderr and reqs[2]["step"] == 2 and
      reqs[3]["prompt"] == reqs[2]["prompt"],
      "500 then success: the same request is sent again")
cands = rep["candidates"]
check([c["verdict"] for c in cands] == ["refuted", "proved"],
      "the wrong kernel is refuted, then the correct one proved")
cx = cands[0].get("counterexample", {})
check(cands[0]["timing"] == "not-timed" and "device_us" not in cands[0],
      "the refuted agent candidate is never timed")
nxt = reqs[2]["prompt"]
check(cx.get("detail", "?") in nxt and cands[0]["id"] in nxt and
      "expected (reference): " + cx["reference"]["value"] in nxt and
      "got (your kernel): " + cx["candidate"]["value"] in nxt and
      "failed obligation: equivalence" in nxt,
      "the counterexample (element, expected, got) is in the next prompt")
check("counterexample" not in reqs[0]["prompt"],
      "the first prompt has no feedback yet")
check(rep["best"] == cands[1]["id"] and
      open(os.path.join(out1, "best.cl")).read() == CORRECT,
      "the proved kernel is timed and becomes the best")
first = reqs[0]["prompt"]
for want in ("torch.relu(x)", "N=67", "domain of x", "Device", "compute units",
             "Manifest format", "Focus on: fusion", "```json"):
    check(want in first, f"the prompt has {want!r}")
ag = rep["agents"]
check(ag["agents"][0]["requests"] == 5 and ag["input_tokens"] >= 2100 and
      ag["agents"][0]["output_tokens"] >= 410,
      "requests and tokens per agent in report.json")
md = open(os.path.join(out1, "report.md")).read()
check("## LLM agents" in md and "| a1 | openai | gpt-test |" in md,
      "report.md has the agents' table")
recs = sorted(os.listdir(os.path.join(rec, "a1")))
check(recs[:2] == ["0001.json", "0002.json"] and len(recs) == 5,
      "one recording per exchange, in order")
r1 = json.load(open(os.path.join(rec, "a1", "0001.json")))
check(["Authorization", "[REDACTED]"] in r1["request"]["headers"],
      "the recorded Authorization header is redacted")

# 2. Replay with the server stopped: same candidates, verdicts, best.
p, rep2, out2 = synth("replay", "openai", "http://127.0.0.1:9", "--replay",
                      rec, key="")
check(p.returncode == 0, "the replay exits 0 without a key or a server")
check([(c["source_hash"], c["verdict"]) for c in rep2["candidates"]] ==
      [(c["source_hash"], c["verdict"]) for c in cands],
      "the replay gives the same candidates and verdicts")
check(open(os.path.join(out2, "best.cl")).read() == CORRECT and
      rep2["candidates"][1]["id"] == rep2["best"],
      "the replay gives the same best kernel")
check(rep2["agents"]["requests"] == 5 and "replay_prompt_mismatches" in
      rep2["agents"], "the replay reports its requests and prompt changes")
same = ("requests", "http_attempts", "input_tokens", "output_tokens",
        "candidates", "proved", "refuted", "unusable_replies", "duplicates",
        "stop_reason")
check([{k: a[k] for k in same} for a in rep2["agents"]["agents"]] ==
      [{k: a[k] for k in same} for a in ag["agents"]] and
      rep2["counts"] == rep["counts"],
      "the replay's report has the same counts, requests and tokens")

# 3. anthropic format: malformed JSON, a reply without code, then a kernel.
s = Server("anthropic", [{"raw": "this is {not json"},
                         {"reply": "I would use float4.", "usage": [90, 10]},
                         reply(CORRECT)])
p, rep, _ = synth("anthropic", "anthropic", s.url,
                  env_key="ANTHROPIC_API_KEY", model="claude-test")
reqs = s.requests()
s.stop()
check(all(r["key_ok"] and r["anthropic_version"] == "2023-06-01" and
          r["path"] == "/v1/messages" for r in reqs),
      "anthropic: x-api-key and anthropic-version on /v1/messages")
check("could not be used" in reqs[1]["prompt"] and
      "not JSON" in reqs[1]["prompt"],
      "malformed JSON is fed back to the agent in the next prompt")
check("no ```c block" in reqs[2]["prompt"],
      "a reply without code is fed back to the agent in the next prompt")
check(p.returncode == 0 and rep["candidates"][0]["verdict"] == "proved",
      "after the failed turns the agent's kernel is proved")

# 4. A stalled body: the total timeout, no crash; --max-requests stops.
s = Server("stall", [{"stall": 6}])
p, rep, _ = synth("stall", "local", s.url, "--http-timeout", "1",
                  "--http-retries", "0", "--max-requests", "1", model="")
s.stop()
check("timed out" in p.stderr and rep["agents"]["agents"][0]
      ["failed_requests"] == 1, "a stalled body ends at the total timeout")
check("--max-requests 1 reached" in rep["agents"]["spend_stop"] and
      rep["agents"]["requests"] == 1, "--max-requests bounds the requests")
check(p.returncode == 5, f"no kernel: exit 5 (got {p.returncode})")

# 4b. Ctrl-C during a stalled request ends the run at once, with the report.
s = Server("sigint", [{"stall": 30}])
out = os.path.join(tmp, "sigint", "out")
env = dict(os.environ, NO_PROXY="127.0.0.1", no_proxy="127.0.0.1")
t0 = time.time()
proc = subprocess.Popen([K, "synth", RELU, "--agent", "local", "--base-url",
                         s.url, "--http-timeout", "60", "--out", out],
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                        text=True, env=env, stdin=subprocess.DEVNULL)
while not s.requests() and time.time() - t0 < 60:
    time.sleep(0.2)
proc.send_signal(signal.SIGINT)
o, e = proc.communicate(timeout=120)
outputs.append(o + e)
s.stop()
rep = json.load(open(os.path.join(out, "report.json")))
check(time.time() - t0 < 30 and rep["interrupted"] and
      "interrupted" in rep["stop_reason"] and "retrying" not in e,
      "SIGINT cancels the request in flight; the report says interrupted")

# 4c. https: a self-signed server is refused (TLS is always verified); with
#     its certificate as --ca-file the same server is used.
cert, ckey = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
gen = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048",
                      "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                      "-addext", "subjectAltName=IP:127.0.0.1",
                      "-keyout", ckey, "-out", cert],
                     capture_output=True, text=True)
if gen.returncode == 0:
    s = Server("tls", [reply(CORRECT), reply(CORRECT)], tls=(cert, ckey))
    p, rep, _ = synth("tls", "openai", s.url, "--max-requests", "1",
                      "--http-retries", "0", "--no-timing")
    check(p.returncode == 5 and rep["agents"]["agents"][0]
          ["failed_requests"] == 1 and ("certificate" in p.stderr or
                                        "SSL" in p.stderr),
          "https with an untrusted certificate is refused")
    p, rep, _ = synth("tls-ca", "openai", s.url, "--max-requests", "1",
                      "--ca-file", cert, "--no-timing")
    s.stop()
    check(p.returncode == 0 and rep["candidates"][0]["verdict"] == "proved",
          "https with --ca-file: the private CA is trusted")
else:
    print("skip the https checks: openssl cannot make a certificate: " +
          gen.stderr[-200:])

# 5. An oversized reply.
s = Server("oversize", [{"oversize": 100000}])
p, rep, _ = synth("oversize", "local", s.url, "--max-response-kb", "16",
                  "--max-requests", "1", model="")
s.stop()
check("response larger than 16384 bytes" in p.stderr and
      rep["agents"]["agents"][0]["failed_requests"] == 1,
      "an oversized reply: 'response larger than 16384 bytes'")

# 6. 401 and 404: exit 2 with one line, the report still written.
for name, step, want in (
        ("auth", {"status": 401, "error": "Incorrect API key " + KEY},
         "authentication failed for openai (check OPENAI_API_KEY"),
        ("model", {"status": 404, "error": "The model does not exist"},
         "unknown model gpt-test")):
    s = Server(name, [step])
    p, rep, _ = synth(name, "openai", s.url)
    n = len(s.requests())
    s.stop()
    last = p.stderr.strip().splitlines()[-1]
    check(p.returncode == 2 and want in last and last.startswith("ksynth: "),
          f"{name}: exit 2 with '{want}' ({p.returncode}: {last})")
    check(n == 1, f"{name}: not retried")
    check(rep is not None and want in rep.get("fatal", ""),
          f"{name}: the report is written and says why")

# 7. Duplicates of a refuted kernel (same IR: only a comment differs) stop
#    the agent; they are never verified again.
s = Server("dups", [reply(WRONG), reply("// again\n" + WRONG),
                    reply(WRONG.replace("  ", "    "))])
p, rep, _ = synth("dups", "openai", s.url)
reqs = s.requests()
s.stop()
a = rep["agents"]["agents"][0]
check(len(rep["candidates"]) == 1 and a["duplicates"] == 2 and
      "repeated refuted candidates" in a["stop_reason"],
      "two duplicates of a refuted kernel stop the agent")
check("same compiled IR" in reqs[2]["prompt"],
      "the agent is told its kernel duplicates a refuted one")

# 8. --max-tokens.
s = Server("tokens", [reply(WRONG, (5000, 100)), reply(CORRECT)])
p, rep, _ = synth("tokens", "openai", s.url, "--max-tokens", "1000")
n = len(s.requests())
s.stop()
check(n == 1 and "--max-tokens 1000 reached" in rep["agents"]["spend_stop"],
      "--max-tokens stops asking once spent")
check("spend limit reached" in open(os.path.join(tmp, "tokens", "out",
                                                 "report.md")).read(),
      "report.md says the spend limit stopped the agents")

# 9. -j 2 with two providers: two agents (one per provider, each with its
#    own model) with different strategies, asked concurrently.
s = Server("swarm", [reply(CORRECT), reply(WRONG)])
p, rep, _ = synth("swarm", "openai,anthropic", s.url, "-j", "2",
                  "--max-requests", "2", env_key=("OPENAI_API_KEY",
                                                  "ANTHROPIC_API_KEY"),
                  model="openai=gpt-a,anthropic=claude-b")
reqs = s.requests()
s.stop()
focus = sorted(r["prompt"].split("Focus on: ")[1].split(" (")[0]
               for r in reqs)
check(focus == ["fusion", "vectorisation"],
      f"-j 2: two agents, two strategies ({focus})")
check(sorted((r["path"], r["model"], r["key_ok"]) for r in reqs) ==
      [("/v1/chat/completions", "gpt-a", True),
       ("/v1/messages", "claude-b", True)],
      "--model KIND=NAME: each provider's agent uses its own model")
check(sorted(c["verdict"] for c in rep["candidates"]) ==
      ["proved", "refuted"], "-j 2: both agents' candidates verified")

# 10. Usage errors.
for args, env_key, want in (
        (["--agent", "openai", "--model", "m"], None, "OPENAI_API_KEY"),
        (["--agent", "bogus"], None, "unknown agent 'bogus'"),
        (["--model", "m"], None, "need an LLM agent"),
        (["--agent", "anthropic"], "ANTHROPIC_API_KEY", "needs --model"),
        (["--agent", "local", "--record", rec], None, "not empty"),
        (["--agent", "local", "--ca-file", "/nonexistent"], None,
         "no such file"),
        (["--agent", "local", "--base-url", "ftp://x"], None,
         "must start with http:// or https://")):
    env = {k: v for k, v in os.environ.items()
           if k not in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY")}
    if env_key:
        env[env_key] = KEY
    p = subprocess.run([K, "synth", RELU, *args], capture_output=True,
                       text=True, env=env)
    outputs.append(p.stdout + p.stderr)
    check(p.returncode == 1 and want in p.stderr,
          f"usage: {args} -> exit 1 with '{want}'")

# 11. A model file: its text is in the prompt (needs the project's Python
#     with PyTorch: $KSYNTH_PYTHON or .venv; skipped without it).
py = os.environ.get("KSYNTH_PYTHON") or os.path.join(SRC, ".venv/bin/python")
if os.path.exists(py):
    s = Server("modelfile", [])
    model = os.path.join(SRC, "examples/pytorch_hardtanh/model.py")
    env = dict(os.environ, KSYNTH_PYTHON=py,
               KSYNTH_CACHE_DIR=os.path.join(tmp, "import-cache"),
               NO_PROXY="127.0.0.1", no_proxy="127.0.0.1")
    p = subprocess.run([K, "synth", model, "--agent", "local", "--base-url",
                        s.url, "--max-requests", "1", "--no-timing", "--out",
                        os.path.join(tmp, "modelfile", "out")],
                       capture_output=True, text=True, env=env, timeout=600)
    outputs.append(p.stdout + p.stderr)
    reqs = s.requests()
    s.stop()
    text = open(model).read()
    check(len(reqs) == 1 and text in reqs[0]["prompt"] and
          "torch.hardtanh(x" in reqs[0]["prompt"],
          "a model file's text and its spec are in the prompt")
else:
    print("skip the model-file prompt check: no Python with PyTorch "
          "(KSYNTH_PYTHON or .venv)")

# 12. The key is in no output, report or recording.
leaks = [i for i, o in enumerate(outputs) if KEY in o]
for root, _, files in os.walk(tmp):
    for f in files:
        if f in ("script.json",):
            continue
        with open(os.path.join(root, f), "rb") as fh:
            if KEY.encode() in fh.read():
                leaks.append(os.path.join(root, f))
check(not leaks, f"the fake key appears nowhere ({leaks[:5]})")

print(f"{len(failures)} failure(s)")
if not failures:
    shutil.rmtree(tmp, ignore_errors=True)
sys.exit(1 if failures else 0)
