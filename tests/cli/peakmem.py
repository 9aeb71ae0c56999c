"""Runs a command and measures its peak memory (issue 17 limit tests and
bench/limits_bench.py).

peak_tree_mb: the largest sum of VmRSS over the process and all its
descendants, sampled every 5 ms from /proc (what ksynth's --max-memory
monitor counts); maxrss_mb: the process's own peak resident set
(getrusage / wait4 ru_maxrss, exact: the kernel's high-water mark)."""
import os
import subprocess
import time


def _children(pid):
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                out += [int(x) for x in f.read().split()]
    except OSError:
        pass
    return out


def _rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kb(pid):
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += _rss_kb(p)
        todo += _children(p)
    return total


def run(cmd, timeout=600, env=None, cwd=None):
    """Returns dict(rc, stdout, stderr, wall_s, maxrss_mb, peak_tree_mb)."""
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=env, cwd=cwd)
    # Drain the pipes in threads so a chatty child never blocks.
    import threading
    bufs = {"out": b"", "err": b""}

    def drain(name, stream):
        bufs[name] = stream.read()

    ts = [threading.Thread(target=drain, args=("out", p.stdout)),
          threading.Thread(target=drain, args=("err", p.stderr))]
    for t in ts:
        t.start()
    peak = 0
    status = None
    ru = None
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid == p.pid:
            break
        peak = max(peak, tree_rss_kb(p.pid))
        if time.monotonic() - t0 > timeout:
            p.kill()
        time.sleep(0.005)
    for t in ts:
        t.join()
    p.returncode = os.waitstatus_to_exitcode(status)
    return {
        "rc": p.returncode,
        "stdout": bufs["out"].decode(errors="replace"),
        "stderr": bufs["err"].decode(errors="replace"),
        "wall_s": time.monotonic() - t0,
        "maxrss_mb": ru.ru_maxrss / 1024.0,
        "peak_tree_mb": max(peak, ru.ru_maxrss) / 1024.0,
    }
