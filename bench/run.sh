#!/usr/bin/env bash
# CanaryLLM benchmark: the gateway against a fast local fake upstream, every figure next to the fake called directly.
# Usage: bench/run.sh        (from anywhere; about 3 minutes; figures also go to bench/results/latest.txt)
# Only 127.0.0.1 traffic. Every phase runs under `timeout`; at exit only the processes started here are stopped.
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
source "$ROOT/bench/lib.sh"   # JAVA_HOME, JAVA, TOOL_JVM, the open-files limit, and the helpers

WORK="$(mktemp -d /tmp/canaryllm-bench.XXXXXX)"
RESULTS="$ROOT/bench/results"
mkdir -p "$RESULTS"
FAKE_PID="" GW_PID=""

cleanup() {
  stop_pids $GW_PID $FAKE_PID
  [ -f "$WORK/gateway.log" ] && cp "$WORK/gateway.log" "$RESULTS/gateway.log"
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf '\n== %s\n' "$*" >&2; }

# 1. the jar (retried: another engineer may be mid-edit) and the bench programs
ensure_jar || exit 1
timeout 120 "$JAVA_HOME/bin/javac" -d "$WORK/classes" bench/src/FakeUpstream.java bench/src/Load.java || exit 1

# 2. the fake upstream and the gateway
start_fake || exit 1

# The gateway runs from a snapshot of bin/, config/, routes/ and the jar (with target/lib/, its class path) taken
# now: another engineer may be editing the tree, and bin/canaryllm rebuilds the jar at start when a source is newer
# than it (a mid-edit tree fails to compile, and a build eats the start-up wait). The snapshot has an empty src/
# dated like the jar, so it never does.
STALE=$(find src/main pom.xml -newer target/canaryllm.jar 2>/dev/null | wc -l)
[ "$STALE" -gt 0 ] && echo "note: $STALE files under src/main/ or pom.xml are newer than target/canaryllm.jar; measuring the jar as built" >&2
GW_DIR="$WORK/gateway"
mkdir -p "$GW_DIR/target" "$GW_DIR/src"
cp -Rp bin config routes pom.xml "$GW_DIR/" && cp -Rp target/canaryllm.jar target/lib "$GW_DIR/target/" || exit 1
touch -r "$GW_DIR/target/canaryllm.jar" "$GW_DIR/src" "$GW_DIR/pom.xml"
GW_PORT=$(free_port)
# the AOT cache bin/canaryllm makes at the first start after a build, made first so that the start below is timed
# alone (CANARYLLM_AOT=off measures a start without it)
if [ "${CANARYLLM_AOT:-on}" != off ]; then
  say "training the gateway's AOT cache"
  timeout 180 "$GW_DIR/bin/canaryllm" train || echo "note: no AOT cache (see $GW_DIR/target/aot-training.log)" >&2
fi
say "gateway on 127.0.0.1:$GW_PORT"
START_MS=$(date +%s%3N)
CANARYLLM_MASTER_KEY=bench-master CANARYLLM_DATA_DIR="$WORK/data" CANARYLLM_PORT="$GW_PORT" CANARYLLM_HOST=127.0.0.1 \
  CANARYLLM_OPENAI_BASE_URL="http://127.0.0.1:$FAKE_PORT/v1" \
  "$GW_DIR/bin/canaryllm" >"$WORK/gateway.log" 2>&1 &   # the shipped JVM settings (CANARYLLM_JAVA_OPTS overrides them)
GW_PID=$!
until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$GW_PORT/ready")" = 200 ]; do
  kill -0 "$GW_PID" 2>/dev/null && [ $(( $(date +%s%3N) - START_MS )) -lt 90000 ] \
    || { echo "no 200 from /ready within 90 s" >&2; tail -20 "$WORK/gateway.log" >&2; exit 1; }
  sleep 0.02
done
READY_MS=$(date +%s%3N)
AOT_USED=$(tr '\0' '\n' <"/proc/$GW_PID/cmdline" 2>/dev/null | grep -c '^-XX:AOTCache=')
say "/ready after $((READY_MS - START_MS)) ms (AOT cache used: $AOT_USED)"

KEY=$(curl -s --max-time 10 -XPOST "http://127.0.0.1:$GW_PORT/admin/keys" -H 'Authorization: Bearer bench-master' \
  -H 'Content-Type: application/json' -d '{"name":"bench"}' | sed -n 's/.*"key" *: *"\([^"]*\)".*/\1/p')
[ -n "$KEY" ] || { echo "could not create an API key" >&2; exit 1; }
SMOKE=$(curl -s --max-time 10 -XPOST "http://127.0.0.1:$GW_PORT/v1/chat/completions" -H "Authorization: Bearer $KEY" \
  -H 'Content-Type: application/json' -d '{"model":"openai/gpt-4.1","messages":[{"role":"user","content":"hi"}]}')
case "$SMOKE" in *chat.completion*) ;; *) echo "smoke request failed: $SMOKE" >&2; exit 1 ;; esac

# 3. the phases, each bounded; a failed phase leaves its figures MISSING in the table
RAW="$WORK/raw.txt"
printf 'startup_ready_ms=%s\naot_cache=%s\n' "$((READY_MS - START_MS))" "$AOT_USED" >"$RAW"
# BENCH_PHASES="warm events" runs only the phases named (for profiling one figure); the table then shows the others MISSING
phase() {   # phase NAME SECONDS [extra args]
  local name=$1 limit=$2; shift 2
  case " ${BENCH_PHASES:-$name} " in *" $name "*) ;; *) return 0 ;; esac
  say "phase $name (at most $limit s)"
  timeout "$limit" "$JAVA" "${TOOL_JVM[@]}" -cp "$WORK/classes" Load "$name" gw="$GW_PORT" fake="$FAKE_PORT" key="$KEY" \
    pid="$GW_PID" hz="$(getconf CLK_TCK)" raw="$RAW" "$@" || echo "phase $name failed (exit $?)" >&2
  kill -0 "$GW_PID" 2>/dev/null || { echo "the gateway died during $name" >&2; tail -30 "$WORK/gateway.log" >&2; exit 1; }
}
phase cold 25 until=$((READY_MS + 10000))   # d''. time to first event in the first 10 s after /ready
sleep 2
phase idle 15                     # e. RSS and threads, idle
phase warm 85 max=60              # JIT warm-up until the compiler threads go quiet (bench/README.md)
phase seq 60 warm=1000 n=2000     # a. sequential latency
phase rps 80 slice=5              # b. rps at 16 and 64 connections; c. CPU/request; e. RSS under load
phase events 40 conc=100 events=50 gap=10 seconds=8   # c. CPU per relayed event
phase ttfb 40 warm=50 n=300       # d. time to first streamed event
# c', d'. the same two on a translated stream: Anthropic Messages client (POST /v1/messages), OpenAI-compatible model
phase tr-events 30 conc=100 events=50 gap=10 warmup=3 seconds=8   # c'. CPU per relayed event, translated
phase tr-ttfb 30 warm=50 n=300    # d'. time to first event, translated
phase open 60 n=1000 events=12 gap=1000               # e. 1,000 concurrent open streams

say "gateway log: $(grep -c ' WARN ' "$WORK/gateway.log") WARN, $(grep -c ' ERROR ' "$WORK/gateway.log") ERROR lines (copied to bench/results/gateway.log)"
echo
"$JAVA" "${TOOL_JVM[@]}" -cp "$WORK/classes" Load report raw="$RAW" table="$RESULTS/latest.txt"
