#!/usr/bin/env bash
# What do deployments (pools) add to a call? Gateway A is a build of the commit before them (POOLS_AB_BEFORE, default
# 3ceba2a), gateway B the jar in target/ with the tree's routes/ and config/. Both call openai/gpt-4.1, one deployment
# each (B: its pool of one: the choice, the lease, the first-byte EWMA and the model-call-deployments loop), against one
# fake upstream, measured interleaved by HooksAB (the phases of bench/hooks-ab.sh, and tr-events: a translated
# stream). PoolsBench (bench/pools.sh) gives the choice alone, for pools of three too.
# Usage: bench/pools-ab.sh   (about 6 minutes with the build of A; the table also goes to bench/results/pools-ab.txt)
#   POOLS_AB_BEFORE=COMMIT  gateway A's commit      POOLS_AB_WARM_S=45  the JIT warm-up's time limit
# Only 127.0.0.1 traffic. Every phase runs under `timeout`; at exit only the processes started here are stopped.
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
source "$ROOT/bench/lib.sh"

BEFORE=$(git rev-parse --short --verify "${POOLS_AB_BEFORE:-3ceba2a}^{commit}") || exit 1
WORK="$(mktemp -d /tmp/canaryllm-pools-ab.XXXXXX)"
RESULTS="$ROOT/bench/results"
mkdir -p "$RESULTS"
FAKE_PID="" A_PID="" B_PID=""
cleanup() {
  stop_pids $A_PID $B_PID $FAKE_PID
  git worktree remove --force "$WORK/src-a" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
say() { printf '\n== [%3d s] %s\n' "$SECONDS" "$*" >&2; }
die() { echo "pools-ab: $*" >&2; exit 1; }

# 1. B: the jar as built (target/); A: a build of $BEFORE in a worktree of its own; the bench programs
ensure_jar || exit 1
timeout 120 "$JAVA_HOME/bin/javac" -d "$WORK/classes" bench/src/FakeUpstream.java bench/src/Load.java bench/src/HooksAB.java || exit 1
say "building A ($BEFORE) in $WORK/src-a"
git worktree add -q --detach "$WORK/src-a" "$BEFORE" || die "no worktree of $BEFORE"
(cd "$WORK/src-a" && timeout 900 mvn -B -q package -DskipTests -Dspotless.check.skip=true >"$WORK/build-a.log" 2>&1) \
  || { tail -30 "$WORK/build-a.log" >&2; die "the build of $BEFORE failed"; }
for v in a b; do mkdir -p "$WORK/$v/target" "$WORK/$v/src"; done
cp -Rp "$WORK/src-a/bin" "$WORK/src-a/config" "$WORK/src-a/routes" "$WORK/src-a/pom.xml" "$WORK/a/" \
  && cp -Rp "$WORK/src-a/target/canaryllm.jar" "$WORK/src-a/target/lib" "$WORK/a/target/" || die "cannot copy A"
cp -Rp bin config routes pom.xml "$WORK/b/" && cp -Rp target/canaryllm.jar target/lib "$WORK/b/target/" || die "cannot copy B"
for v in a b; do touch -r "$WORK/$v/target/canaryllm.jar" "$WORK/$v/src" "$WORK/$v/pom.xml"; done   # no rebuild at start
B_REV="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src routes config || echo '+edits')"

# 2. the fake upstream and the two gateways
start_fake || exit 1
start_gateway() {   # start_gateway a|b PORT
  local v=$1 port=$2
  CANARYLLM_MASTER_KEY=bench-master CANARYLLM_DATA_DIR="$WORK/data-$v" CANARYLLM_PORT="$port" CANARYLLM_HOST=127.0.0.1 \
    CANARYLLM_OPENAI_BASE_URL="http://127.0.0.1:$FAKE_PORT/v1" "$WORK/$v/bin/canaryllm" >"$WORK/gateway-$v.log" 2>&1 &
  if [ "$v" = a ]; then A_PID=$!; else B_PID=$!; fi
}
A_PORT=$(free_port)
B_PORT=$(free_port)
while [ "$B_PORT" = "$A_PORT" ] || [ "$B_PORT" = "$FAKE_PORT" ]; do B_PORT=$(free_port); done
start_gateway a "$A_PORT"
start_gateway b "$B_PORT"
wait_http "http://127.0.0.1:$A_PORT/health" 90 "$A_PID" || { tail -20 "$WORK/gateway-a.log" >&2; exit 1; }
wait_http "http://127.0.0.1:$B_PORT/health" 90 "$B_PID" || { tail -20 "$WORK/gateway-b.log" >&2; exit 1; }
grep -q "upstream-openai" "$WORK/gateway-b.log" || echo "note: B's log does not name the route upstream-openai" >&2

make_key() {   # make_key PORT: an API key of that gateway, smoke-tested
  local key smoke
  key=$(curl -s --max-time 10 -XPOST "http://127.0.0.1:$1/admin/keys" -H 'Authorization: Bearer bench-master' \
    -H 'Content-Type: application/json' -d '{"name":"bench"}' | sed -n 's/.*"key" *: *"\([^"]*\)".*/\1/p')
  [ -n "$key" ] || { echo "could not create an API key on port $1" >&2; return 1; }
  smoke=$(curl -s --max-time 10 -XPOST "http://127.0.0.1:$1/v1/chat/completions" -H "Authorization: Bearer $key" \
    -H 'Content-Type: application/json' -d '{"model":"openai/gpt-4.1","messages":[{"role":"user","content":"hi"}]}')
  case "$smoke" in *chat.completion*) echo "$key" ;; *) echo "smoke request on port $1 failed: $smoke" >&2; return 1 ;; esac
}
A_KEY=$(make_key "$A_PORT") || exit 1
B_KEY=$(make_key "$B_PORT") || exit 1

# 3. the phases (HooksAB's), each bounded
RAW="$WORK/raw.txt"
: >"$RAW"
phase() {   # phase NAME SECONDS [extra args]
  local name=$1 limit=$2; shift 2
  say "phase $name (at most $limit s)"
  timeout "$limit" "$JAVA" "${TOOL_JVM[@]}" -cp "$WORK/classes" HooksAB "$name" a="$A_PORT" b="$B_PORT" \
    pida="$A_PID" pidb="$B_PID" keya="$A_KEY" keyb="$B_KEY" fake="$FAKE_PORT" pidf="$FAKE_PID" hz="$(getconf CLK_TCK)" raw="$RAW" "$@" \
    || echo "phase $name failed (exit $?)" >&2
  for v in A B; do
    pid=${v}_PID
    kill -0 "${!pid}" 2>/dev/null || { echo "gateway $v died during $name" >&2; tail -30 "$WORK/gateway-${v,,}.log" >&2; exit 1; }
  done
}
WARM_S=${POOLS_AB_WARM_S:-45}
phase warm $((WARM_S + 35)) max="$WARM_S"
phase rps 40 conc=16 slice=5
phase events 40 conc=100 events=50 gap=10 seconds=4
phase seq 60 warm=500 n=3000 rounds=3
phase tr-events 40 conc=100 events=50 gap=10 seconds=4   # last: it sets the fake's default stream shape
echo
"$JAVA" "${TOOL_JVM[@]}" -cp "$WORK/classes" HooksAB report raw="$RAW" hz="$(getconf CLK_TCK)" table="$RESULTS/pools-ab.txt" \
  title="deployments: before ($BEFORE, A) vs after ($B_REV, B), openai/gpt-4.1" alabel="A before" blabel="B after" \
  about="A: the build of $BEFORE (one upstream route per provider); B: target/canaryllm.jar with the tree's routes (a pool of one deployment per model)"
