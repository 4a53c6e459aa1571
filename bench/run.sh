#!/usr/bin/env bash
# CanaryLLM benchmark: the gateway against a fast local fake upstream, every figure next to the fake called directly.
# Usage: bench/run.sh        (from anywhere; about 4 minutes; figures also go to bench/results/latest.txt)
#        BENCH_PHASES="open10k" bench/run.sh   (only the phases named)
# Only 127.0.0.1 traffic. Every phase runs under `timeout`; at exit only the processes started here are stopped.
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
source "$ROOT/bench/lib.sh"   # JAVA_HOME, JAVA, TOOL_JVM, the open-files limit, and the helpers

WORK="$(mktemp -d /tmp/canaryllm-bench.XXXXXX)"
RESULTS="$ROOT/bench/results"
mkdir -p "$RESULTS"
FAKE_PID="" GW_PID="" H2_FAKE_PID="" RELAY_PID=""

cleanup() {
  stop_pids $GW_PID $FAKE_PID $H2_FAKE_PID $RELAY_PID
  [ -f "$WORK/gateway.log" ] && cp "$WORK/gateway.log" "$RESULTS/gateway.log"
  [ -f "$WORK/fake-h2.log" ] && cp "$WORK/fake-h2.log" "$RESULTS/fake-h2.log"
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf '\n== %s\n' "$*" >&2; }

# 1. the jar (retried: another engineer may be mid-edit) and the bench programs
ensure_jar || exit 1
timeout 120 "$JAVA_HOME/bin/javac" -d "$WORK/classes" bench/src/FakeUpstream.java bench/src/Load.java || exit 1

# 2. the fake upstream and the gateway
# wanted PHASE...: whether BENCH_PHASES (default: all) names one of them
wanted() {
  local p
  for p in "$@"; do case " ${BENCH_PHASES:-$p} " in *" $p "*) return 0 ;; esac; done
  return 1
}
H1_PHASES="cold idle warm seq rps events floor ttfb tr-events tr-ttfb open"

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
# the AOT cache bin/canaryllm makes at the first start after a build, made first so that the start below is timed
# alone (CANARYLLM_AOT=off bench/run.sh measures a start without it)
if [ "${CANARYLLM_AOT:-on}" != off ] && wanted $H1_PHASES; then
  say "training the gateway's AOT cache"
  timeout 180 "$GW_DIR/bin/canaryllm" train || echo "note: no AOT cache (see $GW_DIR/target/aot-training.log)" >&2
fi

# start_gateway UPSTREAM_PORT [VAR=VALUE...]: the gateway from the snapshot, its OpenAI provider on the fake at
# UPSTREAM_PORT (plus the settings given); sets GW_PORT, GW_PID and KEY, and checks one call end to end; START_MS and
# READY_MS: its launch and its first 200 from /ready, AOT_USED: 1 when it runs with the AOT cache
start_gateway() {
  local upstream=$1; shift
  GW_PORT=$(free_port)
  say "gateway on 127.0.0.1:$GW_PORT${*:+ ($*)}"
  rm -rf "$WORK/data"
  START_MS=$(date +%s%3N)
  env CANARYLLM_MASTER_KEY=bench-master CANARYLLM_DATA_DIR="$WORK/data" CANARYLLM_PORT="$GW_PORT" CANARYLLM_HOST=127.0.0.1 \
    CANARYLLM_OPENAI_BASE_URL="http://127.0.0.1:$upstream/v1" "$@" \
    "$GW_DIR/bin/canaryllm" >>"$WORK/gateway.log" 2>&1 &   # the shipped JVM settings (CANARYLLM_JAVA_OPTS overrides them)
  GW_PID=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$GW_PORT/ready")" = 200 ]; do
    kill -0 "$GW_PID" 2>/dev/null && [ $(( $(date +%s%3N) - START_MS )) -lt 90000 ] \
      || { echo "no 200 from /ready within 90 s" >&2; tail -20 "$WORK/gateway.log" >&2; return 1; }
    sleep 0.02
  done
  READY_MS=$(date +%s%3N)
  READY_RSS_MB=$(awk '/VmRSS/{print int($2/1024)}' "/proc/$GW_PID/status" 2>/dev/null)
  AOT_USED=$(tr '\0' '\n' <"/proc/$GW_PID/cmdline" 2>/dev/null | grep -c '^-XX:AOTCache=')
  say "/ready after $((READY_MS - START_MS)) ms (AOT cache used: $AOT_USED)"

  KEY=$(curl -s --max-time 10 -XPOST "http://127.0.0.1:$GW_PORT/admin/keys" -H 'Authorization: Bearer bench-master' \
    -H 'Content-Type: application/json' -d '{"name":"bench"}' | sed -n 's/.*"key" *: *"\([^"]*\)".*/\1/p')
  [ -n "$KEY" ] || { echo "could not create an API key" >&2; return 1; }
  SMOKE=$(curl -s --max-time 10 -XPOST "http://127.0.0.1:$GW_PORT/v1/chat/completions" -H "Authorization: Bearer $KEY" \
    -H 'Content-Type: application/json' -d '{"model":"openai/gpt-4.1","messages":[{"role":"user","content":"hi"}]}')
  case "$SMOKE" in *chat.completion*) ;; *) echo "smoke request failed: $SMOKE" >&2; return 1 ;; esac
}

# 3. the phases, each bounded; a failed phase leaves its figures MISSING in the table
RAW="$WORK/raw.txt"
: >"$RAW"
# BENCH_PHASES="warm events" runs only the phases named (for profiling one figure); the table then shows the others MISSING
phase() {   # phase NAME SECONDS [extra args]
  local name=$1 limit=$2; shift 2
  wanted "$name" || return 0
  say "phase $name (at most $limit s)"
  timeout "$limit" "$JAVA" "${TOOL_JVM[@]}" ${PHASE_JVM:-} -cp "$WORK/classes" Load "$name" gw="$GW_PORT" fake="$FAKE_PORT" key="$KEY" \
    pid="$GW_PID" hz="$(getconf CLK_TCK)" raw="$RAW" "$@" || echo "phase $name failed (exit $?)" >&2
  kill -0 "$GW_PID" 2>/dev/null || { echo "the gateway died during $name" >&2; tail -30 "$WORK/gateway.log" >&2; exit 1; }
}
# floor_phase: the events phase's load on bench/src/BareRelay.java, a relay with only the gateway's I/O libraries
# (no Camel), in the gateway's shape (Jetty's client -> a virtual thread -> Vert.x), on one Vert.x event loop, and as a
# plain NIO byte pump on one thread (what any relay in this JVM costs); each
# warmed by one unmeasured run. The gateway's figure minus the first is what Camel and our code add per event.
floor_phase() {
  wanted floor || return 0
  say "phase floor (bare relays, at most 3 x 50 s)"
  local cp="$GW_DIR/target/canaryllm.jar:$GW_DIR/target/lib/*" mode port run
  timeout 120 "$JAVA_HOME/bin/javac" -cp "$cp" -d "$WORK/classes" bench/src/BareRelay.java || return 0
  for mode in handoff loop pump; do
    port=$(free_port)
    # the gateway's shipped heap settings; its jar on the class path for its logging configuration
    "$JAVA" -XX:+UseSerialGC -Xms128m -Xmx512m -Xmn64m -cp "$cp:$WORK/classes" BareRelay "$port" "$FAKE_PORT" "$mode" \
      >"$WORK/relay-$mode.log" 2>&1 &
    RELAY_PID=$!
    if wait_http "http://127.0.0.1:$port/health" 30 "$RELAY_PID"; then
      for run in warm measured; do   # the JIT's part of the measured run is left out of its figure (Load.java)
        : >"$WORK/floor.txt"
        timeout 25 "$JAVA" "${TOOL_JVM[@]}" -cp "$WORK/classes" Load events gw="$port" fake="$FAKE_PORT" key=none pid="$RELAY_PID" \
          hz="$(getconf CLK_TCK)" raw="$WORK/floor.txt" conc=100 events=50 gap=10 seconds=8 >/dev/null \
          || echo "floor $mode ($run) failed" >&2
      done
      sed -n "s/^nojit_us_per_event=/floor_${mode}_nojit_us_per_event=/p; s/^sys_us_per_event=/floor_${mode}_sys_us_per_event=/p
        s/^ev_errors=/floor_${mode}_errors=/p" "$WORK/floor.txt" >>"$RAW"
    fi
    stop_pids "$RELAY_PID"
    RELAY_PID=""
  done
}

if wanted $H1_PHASES; then
  start_fake || exit 1
  start_gateway "$FAKE_PORT" || exit 1
  printf 'startup_ready_ms=%s\naot_cache=%s\nready_rss_mb=%s\n' "$((READY_MS - START_MS))" "$AOT_USED" "$READY_RSS_MB" >>"$RAW"
  phase cold 25 until=$((READY_MS + 10000))   # d''. time to first event in the first 10 s after /ready
  sleep 2
  phase idle 15                     # e. RSS and threads, idle
  phase warm 85 max=60              # JIT warm-up until the compiler threads go quiet (bench/README.md)
  phase seq 60 warm=1000 n=2000     # a. sequential latency
  phase rps 80 slice=5              # b. rps at 16 and 64 connections; c. CPU/request; e. RSS under load
  phase events 40 conc=100 events=50 gap=10 seconds=8   # c. CPU per relayed event
  floor_phase                       # c''. the same load on bare relays: what the I/O alone costs on this machine
  phase ttfb 40 warm=50 n=300       # d. time to first streamed event
  # c', d'. the same two on a translated stream: Anthropic Messages client (POST /v1/messages), OpenAI-compatible model
  phase tr-events 30 conc=100 events=50 gap=10 warmup=3 seconds=8   # c'. CPU per relayed event, translated
  phase tr-ttfb 30 warm=50 n=300    # d'. time to first event, translated
  phase open 60 n=1000 events=12 gap=1000               # e. 1,000 concurrent open streams
  stop_pids $GW_PID $FAKE_PID
  GW_PID="" FAKE_PID=""
fi

# f. 10,000 open streams. Over HTTP/1.1 each stream costs the gateway two sockets (the caller's and the upstream's),
# 20,000 files for 10,000 streams: the open-files limit of a process here. So the upstream is HTTP/2 (the provider's
# http2 switch), on a Jetty fake that speaks h2c (bench/src/FakeUpstreamH2.java, its class path from Maven), with a
# freshly started gateway of its own. The starts are spread over 10 s; 12 events 1 s apart a stream.
if wanted open10k; then
  say "the HTTP/2 fake upstream (class path from Maven)"
  timeout 120 mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/test-cp.txt" >/dev/null 2>&1 \
    || timeout 300 mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/test-cp.txt" >/dev/null \
    || exit 1
  # Jetty and the SLF4J API only: without a logging binding on the class path the fake logs nothing
  H2_CP=$(tr ':' '\n' <"$WORK/test-cp.txt" | grep -E '/org/eclipse/jetty/|/org/slf4j/slf4j-api/' | paste -sd: -)
  timeout 120 "$JAVA_HOME/bin/javac" -cp "$H2_CP" -d "$WORK/classes" bench/src/FakeUpstreamH2.java || exit 1
  H2_FAKE_PORT=$(free_port)
  "$JAVA" -XX:+UseSerialGC -Xmx1g -XX:-UsePerfData -cp "$H2_CP:$WORK/classes" FakeUpstreamH2 "$H2_FAKE_PORT" >"$WORK/fake-h2.log" 2>&1 &
  H2_FAKE_PID=$!
  wait_http "http://127.0.0.1:$H2_FAKE_PORT/health" 30 "$H2_FAKE_PID" || exit 1
  FAKE_PORT=$H2_FAKE_PORT
  # the shipped heap (512 MB, 64 MB young, serial GC: RSS under 300 MB for ordinary loads) runs full with 10,000
  # streams: young collections of 50-60 ms and a full one of 300 ms, a p99 of 350 ms. G1 with a pause goal keeps
  # the pauses short at about the same RSS (bench/README.md); BENCH_10K_JAVA_OPTS replaces these settings
  # (no AOT cache: it is made for the shipped JVM options, and this gateway is warmed up below anyway)
  start_gateway "$H2_FAKE_PORT" CANARYLLM_OPENAI_HTTP2=true CANARYLLM_AOT=off \
    CANARYLLM_JAVA_OPTS="${BENCH_10K_JAVA_OPTS:--XX:+UseG1GC -Xms256m -Xmx768m -XX:MaxGCPauseMillis=20}" || exit 1
  # a fresh gateway: without a warm-up the JIT compiles during the measured ramp (p99 in seconds). Unmeasured rounds
  # of 3,000 shorter streams until its compiler threads take under 10% of its CPU in a round (on a slow machine C2
  # stays at 30-40% for five rounds), at most BENCH_10K_WARM_ROUNDS (8); the table gives the share left in the phase
  say "JIT warm-up of that gateway (rounds of 3,000 streams, not measured)"
  for round in $(seq "${BENCH_10K_WARM_ROUNDS:-8}"); do
    timeout 30 "$JAVA" "${TOOL_JVM[@]}" -cp "$WORK/classes" Load open10k gw="$GW_PORT" fake="$FAKE_PORT" key="$KEY" \
      pid="$GW_PID" hz="$(getconf CLK_TCK)" raw="$WORK/warm-raw.txt" n=3000 events=6 gap=500 ramp=5 deadline=20 >/dev/null 2>&1 \
      || echo "warm-up round $round failed" >&2
    JIT_PCT=$(sed -n 's/^open10k_jit_pct=//p' "$WORK/warm-raw.txt" | tail -1)
    echo "  warm-up round $round: JIT compiler threads at ${JIT_PCT%.*}% of the gateway's CPU" >&2
    [ "${JIT_PCT%.*}" -lt 10 ] 2>/dev/null && break
  done
  # the load client's 10,000 connections hold ~160 MB of read buffers: in its usual small heap young collections of
  # 90-260 ms during the ramp delay the first events it measures; a young generation that outlasts the phase
  PHASE_JVM="-Xms1g -Xmx1g -Xmn768m" phase open10k 90 n=10000 events=12 gap=1000 ramp=10 deadline=70
fi

say "gateway log: $(grep -c ' WARN ' "$WORK/gateway.log") WARN, $(grep -c ' ERROR ' "$WORK/gateway.log") ERROR lines (copied to bench/results/gateway.log)"
echo
"$JAVA" "${TOOL_JVM[@]}" -cp "$WORK/classes" Load report raw="$RAW" table="$RESULTS/latest.txt"
