#!/usr/bin/env bash
# What does pool selection add to each call? PoolsBench (bench/src/PoolsBench.java) drives the gateway's own Pools
# in-process: choose a deployment, lease it, fold a first-byte sample into its EWMA, release it; per model shape
# (one deployment, 3 weighted, 3 least-in-flight, 3 lowest-latency), on 1 and 2 threads; it prints CPU ns per call.
# The whole gateway's CPU per request, before and after deployments, is bench/run.sh's on each build (bench/README.md).
# Usage: bench/pools.sh [SECONDS_PER_CASE (3)] [THREADS (2)]   (about 30 s; nothing but this JVM runs)
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
source "$ROOT/bench/lib.sh"
say() { printf '\n== [%3d s] %s\n' "$SECONDS" "$*" >&2; }
ensure_jar || exit 1
WORK="$(mktemp -d /tmp/canaryllm-pools.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
CP="target/canaryllm.jar:target/lib/*"
timeout 120 "$JAVA_HOME/bin/javac" -cp "$CP" -d "$WORK" bench/src/PoolsBench.java || exit 1
mkdir -p bench/results
timeout 300 "$JAVA" -XX:+UseSerialGC -Xmx256m -cp "$WORK:$CP" PoolsBench "${1:-3}" "${2:-2}" | tee bench/results/pools.txt
