#!/usr/bin/env bash
# Runs ksynth's emitted bench jobs on a GPU machine through NVIDIA's OpenCL
# driver, and the PyTorch baseline beside them (runtime/README.md, "GPU
# procedure"). Needs only what that machine has: g++, the OpenCL headers and
# ICD loader, python3 with torch, plus nlohmann/json.hpp carried in
# .carry/include/nlohmann.
#
#   bash bench/gpu/run_on_gpu.sh [JOBS_DIR [SPEC [SHAPE]]]
#     JOBS_DIR  emitted jobs (`ksynth bench ... --emit-job`), default .carry/jobs
#     SPEC      spec for the PyTorch baseline, default examples/hardtanh/spec.json
#     SHAPE     its shape, default N=2^26
#   REPEAT=3    runs of each job (repeatability)
#   PT_RUNS=2   runs of the PyTorch baseline (eager and torch.compile each)
#   KEEP_WORKER=1  reuse a worker built by an earlier call in this machine
#   OUT=dir     where results go (the device tool sets it), default /tmp/ksynth-gpu-out
#
# Bench jobs run REPEAT times, run jobs (`ksynth run ... --emit-job`) once.
# Writes OUT/devices.json, OUT/results.json (bench results and the PyTorch
# runs), OUT/runs.json (run results, to check here with `ksynth run
# --result`) and OUT/log.txt; prints a summary table last.
set -uo pipefail
cd "$(dirname "$0")/../.."
JOBS=${1:-.carry/jobs}
SPEC=${2:-examples/hardtanh/spec.json}
SHAPE=${3:-N=2^26}
REPEAT=${REPEAT:-3}
OUTDIR=${OUT:-/tmp/ksynth-gpu-out}
WORK=/tmp/ksynth-gpu
mkdir -p "$OUTDIR" "$WORK/results"
exec > >(tee -a "$OUTDIR/log.txt") 2>&1

echo "== machine ($(date -u +%Y-%m-%dT%H:%M:%SZ))"
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.max.sm,clocks.mem --format=csv || true

echo "== register NVIDIA's OpenCL driver with the ICD loader"
mkdir -p /etc/OpenCL/vendors
[ -f /etc/OpenCL/vendors/nvidia.icd ] || echo libnvidia-opencl.so.1 > /etc/OpenCL/vendors/nvidia.icd
ls /etc/OpenCL/vendors

echo "== build the worker from source"
CLLIB=-lOpenCL
if ! ls /usr/lib/x86_64-linux-gnu/libOpenCL.so /usr/lib/libOpenCL.so >/dev/null 2>&1; then
  # No development symlink: link the loader (or CUDA's copy) by path.
  for c in /usr/lib/x86_64-linux-gnu/libOpenCL.so.1 /usr/local/cuda/lib64/libOpenCL.so \
           /usr/local/cuda/targets/x86_64-linux/lib/libOpenCL.so.1; do
    [ -e "$c" ] && { CLLIB=$c; break; }
  done
fi
INC=(-I.carry/include)
[ -d /usr/local/cuda/include/CL ] && [ ! -d /usr/include/CL ] && INC+=(-I/usr/local/cuda/include)
if [ "${KEEP_WORKER:-0}" = 1 ] && [ -x "$WORK/ksynth-worker" ]; then
  echo "(worker built earlier: $WORK/ksynth-worker)"
else
time g++ -O2 -std=c++17 -Wall -Wextra -Werror runtime/worker/worker.cpp "${INC[@]}" $CLLIB \
  -o "$WORK/ksynth-worker" || { echo "worker build failed"; exit 1; }
fi
"$WORK/ksynth-worker" --devices "$OUTDIR/devices.json"
python3 -c "
import json; d = json.load(open('$OUTDIR/devices.json'))
for x in d.get('devices', []):
    print(f\"[{x['index']}] {x['name']} | {x['platform']} | driver {x['driver_version']} | {x['compute_units']} CUs | cache {x['global_cache_bytes']} | mem {x['global_mem_bytes']}\")
print('error:', d.get('error')) if not d.get('ok') else None"

echo "== jobs (bench jobs $REPEAT times, run jobs once)"
mkdir -p "$WORK/runs"
for job in "$JOBS"/*.json; do
  name=$(basename "$job" .json)
  mode=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1])).get('mode','run'))" "$job")
  n=$REPEAT; dest="$WORK/results/$name"
  [ "$mode" = run ] && { n=1; dest="$WORK/runs/$name"; }
  for r in $(seq 1 "$n"); do
    start=$(date +%s%N)
    "$WORK/ksynth-worker" "$job" "$dest.$r.json"
    rc=$?
    echo "$name ($mode) run $r: exit $rc in $(( ($(date +%s%N) - start) / 1000000 )) ms"
  done
done

echo "== PyTorch baseline (twice)"
for r in $(seq 1 "${PT_RUNS:-2}"); do
  PYTHONUNBUFFERED=1 python3 bench/pytorch_baseline.py "$SPEC" --shape "$SHAPE" \
    --json "$WORK/results/pytorch.$r.json" || echo "pytorch baseline failed"
done

echo "== summary"
python3 - "$WORK/results" "$OUTDIR/results.json" "$WORK/runs" "$OUTDIR/runs.json" <<'PY'
import glob, json, os, sys
src, dst, rsrc, rdst = sys.argv[1:5]
runs = {os.path.basename(p): json.load(open(p)) for p in sorted(glob.glob(rsrc + "/*.json"))}
if runs:
    json.dump(runs, open(rdst, "w"))
for f, r in runs.items():
    if not r.get("ok"):
        print(f, "FAILED:", r.get("error", {}).get("message")); continue
    bad = []
    for k, st in enumerate(r["sets"]):
        sm = st["summary"]
        for o, x in sm["outputs"].items():
            if x["unwritten"]["count"] or x["differing"]["count"]:
                bad.append(f"set {k} {o}: unwritten {x['unwritten']['count']}, differing {x['differing']['count']}")
        if not sm["inputs_unchanged"]:
            bad.append(f"set {k}: input modified")
    print(f"{f}: {len(r['sets'])} sets on {r['device']['name']} from {r['program']['from']}: "
          + ("; ".join(bad) if bad else "written, deterministic, inputs unchanged (compare here with ksynth run --result)"))
all_ = {os.path.basename(p): json.load(open(p)) for p in sorted(glob.glob(src + "/*.json"))}
json.dump(all_, open(dst, "w"))
rows = {}
for f, r in all_.items():
    if f.startswith("pytorch"):
        for v, x in r.get("results", {}).items():
            rows.setdefault("pytorch-" + v, []).append(
                (x["event_us"]["median"], x["event_us"]["iqr"], r["copy"]["gbps_read_plus_write"], r["bytes_moved"], "torch"))
        continue
    name = f.rsplit(".", 2)[0]
    if not r.get("ok"):
        print(f, "FAILED:", r.get("error", {}).get("message")); continue
    b = r["bench"]
    rows.setdefault(name, []).append((b["event_us"]["median"], b["event_us"]["iqr"],
        b["copy"]["gbps_read_plus_write"], r.get("meta", {}).get("bytes_moved", 0), r["program"]["from"]))
print(f"{'candidate':24} {'medians (us)':30} {'spread':>7} {'IQR':>6} {'GB/s':>7} {'copy GB/s':>9} {'of copy':>7} {'program'}")
for name, rs in rows.items():
    meds = [x[0] for x in rs]
    med = sorted(meds)[len(meds) // 2]
    spread = (max(meds) - min(meds)) / min(meds)
    gbps = rs[0][3] / (med * 1e3)
    copy = sorted(x[2] for x in rs)[len(rs) // 2]
    print(f"{name:24} {' '.join(f'{m:.1f}' for m in meds):30} {spread*100:6.1f}% {rs[0][1]:6.1f} {gbps:7.0f} {copy:9.0f} {gbps/copy*100:6.1f}% {rs[0][4]}")
PY
