#!/usr/bin/env bash
# Measures ChronoFabric on a tuned host and keeps everything needed to judge the numbers in one folder:
#   1. the host's facts (kernel, command line, CPUs, NUMA, JVM, commit),
#   2. host-check against the profile (isolated CPUs, IRQs, governor, turbo, THP, clock source, swap, ...),
#   3. the profile's effective settings and where its threads are placed on this host,
#   4. the perf harness (scripts/chronofabric perf) with the low-latency profile: pinned, busy-spinning threads.
# It changes nothing on the host; host-check's warnings are reported, and the measurement runs anyway.
#
# Usage: scripts/perf-tuned-host.sh [--out DIR] [--profile NAME] [--rate R] [--messages N] [--quick]
#                                   [--set KEY=VALUE]...
#   --out DIR        result folder (default: perf/results/tuned-host-<date>-<host>)
#   --profile NAME   profile to measure (default: low-latency)
#   --rate R         offered rate of the latency mode, msg/s (default: 100000)
#   --messages N     messages per throughput trial (default: the harness's)
#   --quick          the harness's short run
#   --set KEY=VALUE  profile override for host-check, profiles show and perf, e.g. --set threads.cpus=2,3,4,5
# JVM options: CHRONOFABRIC_JVM_FOOTPRINT (default here: a pre-touched 2 GiB G1 heap with tiered compilation, in place
# of the launcher's small-footprint sizing, so page faults stay out of the numbers); more in CHRONOFABRIC_JAVA_OPTS.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CF="$ROOT/scripts/chronofabric"
PROFILE=low-latency
RATE=100000
MESSAGES=""
QUICK=""
OUT=""
SETS=()

usage() { sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
    case "$1" in
        --out) OUT="$2"; shift 2 ;;
        --profile) PROFILE="$2"; shift 2 ;;
        --rate) RATE="$2"; shift 2 ;;
        --messages) MESSAGES="$2"; shift 2 ;;
        --quick) QUICK="--quick"; shift ;;
        --set) SETS+=("--set" "$2"); shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "perf-tuned-host: unknown option '$1'; allowed: --out, --profile, --rate, --messages, --quick, --set, --help" >&2
           exit 2 ;;
    esac
done

OUT="${OUT:-$ROOT/perf/results/tuned-host-$(date +%Y%m%d-%H%M%S)-$(hostname -s 2>/dev/null || echo host)}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
# a tuned host has memory to spare: a pre-touched 2 GB heap (G1) in place of the launcher's small-footprint sizing
export CHRONOFABRIC_JVM_FOOTPRINT="${CHRONOFABRIC_JVM_FOOTPRINT-"-Xms2g -Xmx2g -XX:+AlwaysPreTouch"}"
step() { echo "perf-tuned-host: $*" >&2; }

step "1/4 host facts -> $OUT/host-facts.txt"
{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "hostname: $(hostname 2>/dev/null || echo unknown)"
    echo "commit: $(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
    echo "kernel: $(uname -a)"
    echo "cmdline: $(cat /proc/cmdline 2>/dev/null || echo unreadable)"
    echo "CHRONOFABRIC_JVM_FOOTPRINT: $CHRONOFABRIC_JVM_FOOTPRINT"
    echo "CHRONOFABRIC_JAVA_OPTS: ${CHRONOFABRIC_JAVA_OPTS:-}"
    echo; echo "== java -version"; java -version 2>&1 || true
    echo; echo "== lscpu"; lscpu 2>/dev/null || grep -m1 'model name' /proc/cpuinfo 2>/dev/null || echo "lscpu unavailable"
    echo; echo "== numactl --hardware"; numactl --hardware 2>/dev/null || echo "numactl unavailable"
    echo; echo "== free -m"; free -m 2>/dev/null || echo "free unavailable"
} > "$OUT/host-facts.txt"

step "2/4 host-check --profile $PROFILE -> $OUT/host-check.{txt,json}"
"$CF" host-check --profile "$PROFILE" ${SETS[@]+"${SETS[@]}"} > "$OUT/host-check.txt"
"$CF" host-check --profile "$PROFILE" ${SETS[@]+"${SETS[@]}"} --json > "$OUT/host-check.json"
grep -E '^(warn|unknown) ' "$OUT/host-check.txt" | sed 's/^/perf-tuned-host:   /' >&2 || true

step "3/4 profiles show $PROFILE -> $OUT/profile.{txt,json}"
"$CF" profiles show "$PROFILE" ${SETS[@]+"${SETS[@]}"} > "$OUT/profile.txt"
"$CF" profiles show "$PROFILE" ${SETS[@]+"${SETS[@]}"} --json > "$OUT/profile.json"

step "4/4 perf --profile $PROFILE --rate $RATE ${MESSAGES:+--messages $MESSAGES }$QUICK -> $OUT/perf/"
if ! PERF_HELP="$("$CF" perf --help 2>&1)"; then
    echo "perf-tuned-host: step 4 failed: 'scripts/chronofabric perf' is not available in this build (the perf" \
        "harness has not landed, or the build failed); the host facts, host-check and profile are in $OUT" >&2
    echo "$PERF_HELP" | tail -n 5 >&2
    exit 1
fi
PERF_ARGS=(--profile "$PROFILE" --rate "$RATE" --out "$OUT/perf" --json ${SETS[@]+"${SETS[@]}"})
[ -n "$MESSAGES" ] && PERF_ARGS+=(--messages "$MESSAGES")
[ -n "$QUICK" ] && PERF_ARGS+=("$QUICK")
set +e
"$CF" perf "${PERF_ARGS[@]}" > "$OUT/perf.json" 2> "$OUT/perf.log"
PERF_RC=$?
set -e
if [ "$PERF_RC" -ne 0 ]; then
    echo "perf-tuned-host: step 4 failed: scripts/chronofabric perf exited $PERF_RC; see $OUT/perf.log" >&2
    tail -n 20 "$OUT/perf.log" >&2 || true
    exit "$PERF_RC"
fi

cat > "$OUT/README.txt" <<INDEX
ChronoFabric tuned-host measurement, profile $PROFILE, offered rate $RATE msg/s.
host-facts.txt       kernel, boot command line, CPUs, NUMA, memory, JVM, commit
host-check.txt/json  latency checks of this host against the profile (ok / warn / unknown, with fixes)
profile.txt/json     the profile's effective settings, their sources, and its thread placement on this host
perf.json            the perf harness's report (stdout); perf.log its log
perf/                the harness's report.txt, CSVs, HdrHistogram logs and charts
INDEX
step "done: $OUT"
