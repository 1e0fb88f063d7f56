#!/usr/bin/env bash
# Whole-process comparison with SimFaaS 0.2.2 on its reference scenario
# (Poisson 0.9 requests/s, warm 1.991 s, cold 2.244 s, 600 s idle expiry,
# 10^6 s simulated), both writing their results as JSON to a file, timed in
# the same run; then a 1-function, 1-second lambdasim run alone.
#
# Usage: bench/whole-process.sh [LAMBDASIM_RUNS]   (default 10)
#   SIMFAAS_RUNS=N  runs of SimFaaS (default 1: it takes minutes)
# Needs python3 (with venv) and network access to PyPI the first time; uses
# hyperfine for wall times when installed, else a `date +%s%N` loop, and
# /usr/bin/time (GNU time) for peak RSS and bc. Everything it makes is under
# target/whole-process/. Not part of the test command.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
runs=${1:-10}
simfaas_runs=${SIMFAAS_RUNS:-1}
work=target/whole-process
venv=$work/venv
mkdir -p "$work"

echo "== building the release CLI" >&2
cargo build --release -p lambdasim-cli >&2
bin=$root/target/release/lambdasim

if ! "$venv/bin/python" -c 'import simfaas' 2>/dev/null; then
    echo "== making $venv with simfaas==0.2.2" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q simfaas==0.2.2 >&2
fi
py=$venv/bin/python

cat >"$work/simfaas_reference.py" <<'EOF'
"""SimFaaS's reference scenario, written as JSON to the file given."""
import json
import sys

from simfaas.ServerlessSimulator import ServerlessSimulator

sim = ServerlessSimulator(
    arrival_rate=0.9,
    warm_service_rate=1 / 1.991,
    cold_service_rate=1 / 2.244,
    expiration_threshold=600,
    max_time=1e6,
)
sim.generate_trace(debug_print=False, progress=False)
with open(sys.argv[1], "w") as f:
    json.dump(sim.get_result_dict(), f, indent=2)
EOF

one_second=$work/one-second.toml
sed -e 's/^horizon_s = .*/horizon_s = 1/' examples/simfaas-reference.toml >"$one_second"

# measure RUNS CMD...: prints "WALL_S PEAK_MB": the median wall time of
# RUNS runs (after a warm-up run when RUNS > 1) and the peak RSS of one run.
# A single run (SimFaaS: minutes) gives both at once.
measure() {
    local n=$1
    shift
    local wall
    if [ "$n" -le 1 ]; then
        local t0 t1
        t0=$(date +%s%N)
        /usr/bin/time -f '%M' -o "$work/rss" "$@" >/dev/null
        t1=$(date +%s%N)
        wall=$(echo "scale=6; ($t1 - $t0) / 1000000000" | bc)
    elif command -v hyperfine >/dev/null; then
        hyperfine -N --style none --warmup 1 --runs "$n" --export-json "$work/hyperfine.json" "$(printf '%q ' "$@")" >&2
        wall=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' "$work/hyperfine.json")
        /usr/bin/time -f '%M' -o "$work/rss" "$@" >/dev/null
    else
        "$@" >/dev/null
        local times=()
        for _ in $(seq "$n"); do
            local t0 t1
            t0=$(date +%s%N)
            "$@" >/dev/null
            t1=$(date +%s%N)
            times+=("$((t1 - t0))")
        done
        wall=$(printf '%s\n' "${times[@]}" | "$py" -c 'import sys; v=sorted(int(x) for x in sys.stdin); print(v[len(v)//2]/1e9)')
        /usr/bin/time -f '%M' -o "$work/rss" "$@" >/dev/null
    fi
    echo "$wall $(echo "scale=1; $(tail -n 1 "$work/rss") / 1000" | bc)"
}

lambdasim_json=$work/lambdasim.json
simfaas_json=$work/simfaas.json
echo "== lambdasim: examples/simfaas-reference.toml --json, $runs runs" >&2
read -r ls_s ls_mb < <(measure "$runs" sh -c "exec '$bin' run examples/simfaas-reference.toml --json > '$lambdasim_json'")
ls_requests=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["total"]["requests"])' "$lambdasim_json")
echo "== SimFaaS 0.2.2: the same scenario, $simfaas_runs run(s)" >&2
read -r sf_s sf_mb < <(measure "$simfaas_runs" "$py" "$work/simfaas_reference.py" "$simfaas_json")
sf_requests=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["reqs_total"])' "$simfaas_json")
echo "== lambdasim: 1 function, 1 s, --json, $runs runs" >&2
read -r one_s one_mb < <(measure "$runs" "$bin" run "$one_second" --json)

"$py" - "$ls_requests" "$ls_s" "$ls_mb" "$sf_requests" "$sf_s" "$sf_mb" "$one_s" "$one_mb" <<'EOF'
import sys
lr, ls, lm, sr, ss, sm, os_, om = sys.argv[1:]
lrate, srate = int(lr) / float(ls), int(sr) / float(ss)
print("whole process, SimFaaS reference scenario (10^6 s simulated, JSON to a file):")
print(f"  lambdasim  {int(lr):>9} requests  {float(ls):9.3f} s  {lrate:12.0f} simulated requests/s  peak RSS {lm} MB")
print(f"  SimFaaS    {int(sr):>9} requests  {float(ss):9.3f} s  {srate:12.0f} simulated requests/s  peak RSS {sm} MB")
print(f"  ratio      {lrate / srate:.0f}x")
print(f"1 function, 1 s simulated, --json: {float(os_) * 1e3:.1f} ms wall, peak RSS {om} MB")
EOF
