#!/usr/bin/env bash
# What do per-key limit checks cost per request? Two gateways from one snapshot of the jar, config and routes: M counts
# key limits in memory, R in Redis (CANARYLLM_REDIS_URL=redis://127.0.0.1:6379). Each gets a key without limits and a
# key with limits that never refuse; the four (gateway x key) combinations are measured interleaved against one fake
# upstream (bench/README.md, "Key limits: A/B").
# Usage: bench/limits-ab.sh   (from anywhere; about 2.5 minutes; the table also goes to bench/results/limits-ab.txt)
#   LIMITS_AB_JAR_DIR=DIR  take canaryllm.jar and lib/ from DIR (e.g. a build of the current tree made with
#                          mvn -Dbuild.dir=DIR package) instead of target/ (built there only when missing)
#   LIMITS_AB_WARM_S=90    the JIT warm-up's time limit (default 90 s)
#   LIMITS_AB_REDIS_PORT=6379  Redis's port on 127.0.0.1 (a closed port tries the "not measured" path)
# When Redis does not answer on 127.0.0.1:6379, only M runs and the Redis rows read "not measured". At exit the Redis
# counters of this run's own keys are deleted (nothing else in Redis is touched).
# Only 127.0.0.1 traffic. Every phase runs under `timeout`; at exit only the processes started here are stopped.
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
source "$ROOT/bench/lib.sh"   # JAVA_HOME, JAVA, TOOL_JVM, the open-files limit, and the helpers

REDIS_HOST=127.0.0.1 REDIS_PORT=${LIMITS_AB_REDIS_PORT:-6379}
REDIS_URL="redis://$REDIS_HOST:$REDIS_PORT"
WORK="$(mktemp -d /tmp/canaryllm-limits-ab.XXXXXX)"
RESULTS="$ROOT/bench/results"
mkdir -p "$RESULTS"
rm -f "$RESULTS"/limits-ab-gateway-[mr].log   # this script's logs of an earlier run
FAKE_PID="" M_PID="" R_PID="" RL_ID="" RN_ID=""

cleanup() {
  stop_pids $M_PID $R_PID $FAKE_PID
  for g in m r; do [ -f "$WORK/gateway-$g.log" ] && cp "$WORK/gateway-$g.log" "$RESULTS/limits-ab-gateway-$g.log"; done
  for id in $RL_ID $RN_ID; do   # R's counters of this run's own keys (the spend counter would live 2 days), nothing else
    timeout 10 redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" --scan --pattern "canaryllm:*:$id:*" \
      | while read -r k; do timeout 5 redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" del "$k" >/dev/null; done
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf '\n== [%3d s] %s\n' "$SECONDS" "$*" >&2; }
die() { echo "limits-ab: $*" >&2; exit 1; }

# 1. the jar (LIMITS_AB_JAR_DIR, or target/ built only when missing, as bench/run.sh does) and the bench programs
if [ -n "${LIMITS_AB_JAR_DIR:-}" ]; then
  JAR_DIR="$LIMITS_AB_JAR_DIR"
  [ -f "$JAR_DIR/canaryllm.jar" ] && [ -d "$JAR_DIR/lib" ] || die "no canaryllm.jar and lib/ in $JAR_DIR"
else
  ensure_jar || exit 1
  JAR_DIR="$ROOT/target"
fi
timeout 120 "$JAVA_HOME/bin/javac" -d "$WORK/classes" bench/src/FakeUpstream.java bench/src/Load.java bench/src/LimitsAB.java \
  || exit 1

# 2. one snapshot of the jar, config/ and routes/ (edits to the tree meanwhile cannot reach it), both gateways run it
STALE=$(find src/main pom.xml -newer "$JAR_DIR/canaryllm.jar" 2>/dev/null | wc -l)
[ "$STALE" -gt 0 ] && echo "note: $STALE files under src/main/ or pom.xml are newer than $JAR_DIR/canaryllm.jar; measuring the jar as built" >&2
SNAP="$WORK/gateway"
mkdir -p "$SNAP/target" "$SNAP/src"
cp -Rp bin config routes pom.xml "$SNAP/" && cp -Rp "$JAR_DIR/canaryllm.jar" "$JAR_DIR/lib" "$SNAP/target/" || exit 1
touch -r "$SNAP/target/canaryllm.jar" "$SNAP/src" "$SNAP/pom.xml"   # bin/canaryllm must not rebuild there
JAR_DATE=$(date -r "$SNAP/target/canaryllm.jar" '+%F %T')

# 3. Redis: measured only when it answers
REDIS=0 NOREDIS="" REDIS_PID=""
if ! command -v redis-cli >/dev/null; then
  NOREDIS="redis-cli not installed"
elif [ "$(timeout 5 redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" != PONG ]; then
  NOREDIS="Redis not reachable at $REDIS_HOST:$REDIS_PORT"
else
  REDIS=1
  # redis-server's own CPU is part of what the Redis path costs (only when it is a process of this machine we can see)
  REDIS_PID=$(timeout 5 redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" info server | sed -n 's/^process_id:\([0-9]*\).*/\1/p')
  grep -qs redis "/proc/$REDIS_PID/comm" || REDIS_PID=""
fi
[ "$REDIS" = 1 ] || say "Redis rows not measured: $NOREDIS"

# 4. the fake upstream and the gateways (own port and data directory each; the shipped JVM settings; H2)
start_fake || exit 1

start_gateway() {   # start_gateway m|r PORT: sets M_PID or R_PID
  local g=$1 port=$2 redis=()
  [ "$g" = r ] && redis=(CANARYLLM_REDIS_URL="$REDIS_URL")
  env -u CANARYLLM_REDIS_URL -u CANARYLLM_DB_URL -u CANARYLLM_DB_USER -u CANARYLLM_DB_PASSWORD "${redis[@]}" \
    CANARYLLM_MASTER_KEY=bench-master CANARYLLM_DATA_DIR="$WORK/data-$g" CANARYLLM_PORT="$port" CANARYLLM_HOST=127.0.0.1 \
    CANARYLLM_OPENAI_BASE_URL="http://127.0.0.1:$FAKE_PORT/v1" \
    "$SNAP/bin/canaryllm" >"$WORK/gateway-$g.log" 2>&1 &
  if [ "$g" = m ]; then M_PID=$!; else R_PID=$!; fi
}
GWS=(m)
[ "$REDIS" = 1 ] && GWS+=(r)
M_PORT=$(free_port) R_PORT=$(free_port)
while [ "$R_PORT" = "$M_PORT" ] || [ "$R_PORT" = "$FAKE_PORT" ]; do R_PORT=$(free_port); done
for g in "${GWS[@]}"; do
  port=${g^^}_PORT
  say "gateway ${g^^} (counters in $([ "$g" = m ] && echo memory || echo "Redis $REDIS_URL")) on 127.0.0.1:${!port}"
  start_gateway "$g" "${!port}"
done
for g in "${GWS[@]}"; do
  port=${g^^}_PORT pid=${g^^}_PID
  wait_http "http://127.0.0.1:${!port}/health" 90 "${!pid}" || { tail -20 "$WORK/gateway-$g.log" >&2; exit 1; }
done
# (which store each gateway counts in is checked after the run: R's limited key has counters in Redis, M's has none)

LIMITED='{"name":"limited","models":["*"],"rpm":1000000000,"tpm":1000000000000,"budget":{"amount":"1000000","period":"daily"}}'
make_key() {   # make_key PORT BODY: prints "ID KEY" of a new API key of that gateway, smoke-tested
  local created id key smoke
  created=$(curl -s --max-time 10 -XPOST "http://127.0.0.1:$1/admin/keys" -H 'Authorization: Bearer bench-master' \
    -H 'Content-Type: application/json' -d "$2")
  id=$(sed -n 's/.*"id" *: *"\([^"]*\)".*/\1/p' <<<"$created")
  key=$(sed -n 's/.*"key" *: *"\([^"]*\)".*/\1/p' <<<"$created")
  [ -n "$key" ] && [ -n "$id" ] || { echo "could not create an API key on port $1: $created" >&2; return 1; }
  case "$2" in *rpm*) grep -q '"rpm" *: *1000000000' <<<"$created" || { echo "the key has no limits: $created" >&2; return 1; } ;; esac
  smoke=$(curl -s --max-time 10 -XPOST "http://127.0.0.1:$1/v1/chat/completions" -H "Authorization: Bearer $key" \
    -H 'Content-Type: application/json' -d '{"model":"openai/gpt-4.1","messages":[{"role":"user","content":"hi"}]}')
  case "$smoke" in *chat.completion*) echo "$id $key" ;; *) echo "smoke request on port $1 failed: $smoke" >&2; return 1 ;; esac
}
read -r MN_ID MN_KEY < <(make_key "$M_PORT" '{"name":"bench"}') && [ -n "${MN_KEY:-}" ] || exit 1
read -r ML_ID ML_KEY < <(make_key "$M_PORT" "$LIMITED") && [ -n "${ML_KEY:-}" ] || exit 1
GW_ARGS=(m="$M_PORT" pidm="$M_PID" mnone="$MN_KEY" mlim="$ML_KEY")
if [ "$REDIS" = 1 ]; then
  read -r RN_ID RN_KEY < <(make_key "$R_PORT" '{"name":"bench"}') && [ -n "${RN_KEY:-}" ] || exit 1
  read -r RL_ID RL_KEY < <(make_key "$R_PORT" "$LIMITED") && [ -n "${RL_KEY:-}" ] || exit 1
  GW_ARGS+=(r="$R_PORT" pidr="$R_PID" rnone="$RN_KEY" rlim="$RL_KEY")
  [ -n "$REDIS_PID" ] && GW_ARGS+=(pidredis="$REDIS_PID")
fi
say "keys: M no-limits $MN_ID, limited $ML_ID${RL_ID:+; R no-limits $RN_ID, limited $RL_ID}"

# 5. the phases, each bounded; a failed phase leaves its figures empty ("-") in the table
RAW="$WORK/raw.txt"
: >"$RAW"
phase() {   # phase NAME SECONDS [extra args]
  local name=$1 limit=$2 g pid; shift 2
  say "phase $name (at most $limit s)"
  timeout "$limit" "$JAVA" "${TOOL_JVM[@]}" -cp "$WORK/classes" LimitsAB "$name" "${GW_ARGS[@]}" fake="$FAKE_PORT" \
    pidf="$FAKE_PID" hz="$(getconf CLK_TCK)" raw="$RAW" "$@" || echo "phase $name failed (exit $?)" >&2
  for g in "${GWS[@]}"; do
    pid=${g^^}_PID
    kill -0 "${!pid}" 2>/dev/null || { echo "gateway ${g^^} died during $name" >&2; tail -30 "$WORK/gateway-$g.log" >&2; exit 1; }
  done
}
WARM_S=${LIMITS_AB_WARM_S:-90}
phase warm $((WARM_S + 30)) max="$WARM_S" conc=16 slice_ms=2500   # the measured requests only, every combination in turn
phase seq 90 warm=300 n=3000 rounds=3       # latency: all combinations, no-limits twice, and the fake, step by step
phase rps 60 conc=16 slice=4                # CPU per request: slices mn ml rn rl rl rn ml mn

# 6. after the run: the limits were counted where they should be, and nothing failed open
CHECKS="$WORK/checks.txt"
{
  echo
  for g in "${GWS[@]}"; do
    port=${g^^}_PORT
    lim_key=${g^^}L_KEY
    metrics=$(curl -s --max-time 10 "http://127.0.0.1:${!port}/metrics" -H 'Authorization: Bearer bench-master')
    store_errors=$(grep -E '^canaryllm_limit_store_errors_total' <<<"$metrics" | awk '{s += $NF} END {printf "%d", s}')
    rejections=$(grep -E '^canaryllm_limit_rejections_total' <<<"$metrics" | awk '{s += $NF} END {printf "%d", s}')
    usage=$(curl -s --max-time 10 "http://127.0.0.1:${!port}/v1/usage" -H "Authorization: Bearer ${!lim_key}")
    this_minute=$(grep -o '"this_minute" *: *{[^}]*}' <<<"$usage" | sed 's/"this_minute" *: *//')
    spent=$(grep -o '"spent" *: *"[^"]*"' <<<"$usage" | head -1 | sed 's/.*: *//')
    printf 'gateway %s (%s): limit store errors %s, limit rejections %s; GET /v1/usage of the limited key: this minute %s, spent today %s\n' \
      "${g^^}" "$([ "$g" = m ] && echo memory || echo Redis)" "${store_errors:-?}" "${rejections:-?}" "${this_minute:-?}" "${spent:-?}"
    [ "${store_errors:-1}" = 0 ] || echo "  WARNING: limit checks failed on the counter store and were let through (fail open): not all requests ran the check"
    [ "${rejections:-1}" = 0 ] || echo "  WARNING: the limited key was refused (it must never be): see the non-200 answers above"
  done
  if [ "$REDIS" = 1 ]; then
    r_keys=$(timeout 10 redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" --scan --pattern "canaryllm:*:$RL_ID:*")
    r_count=$(grep -c . <<<"$r_keys")
    m_count=$(timeout 10 redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" --scan --pattern "canaryllm:*:$ML_ID:*" | grep -c .)
    n_count=$(timeout 10 redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" --scan --pattern "canaryllm:*:$RN_ID:*" | grep -c .)
    printf "Redis: %s counters of R's limited key (canaryllm:*:%s:*):" "$r_count" "$RL_ID"
    for k in $r_keys; do printf ' %s=%s' "${k#canaryllm:}" "$(timeout 5 redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" get "$k")"; done
    printf '\n       %s of R'"'"'s no-limits key, %s of M'"'"'s limited key (both must be 0)\n' "$n_count" "$m_count"
    [ "$r_count" -gt 0 ] || echo "  WARNING: no counters of R's limited key in Redis: the Redis path was not exercised"
  else
    echo "Redis: not measured ($NOREDIS)"
  fi
} >"$CHECKS" 2>&1

for g in "${GWS[@]}"; do
  say "gateway ${g^^} log: $(grep -c ' WARN ' "$WORK/gateway-$g.log") WARN, $(grep -c ' ERROR ' "$WORK/gateway-$g.log") ERROR lines (copied to bench/results/limits-ab-gateway-$g.log)"
done
echo
"$JAVA" "${TOOL_JVM[@]}" -cp "$WORK/classes" LimitsAB report raw="$RAW" hz="$(getconf CLK_TCK)" table="$RESULTS/limits-ab.txt" \
  jar="$JAR_DATE ($JAR_DIR)" redis="$REDIS_URL" noredis="$NOREDIS" checks="$CHECKS"
cp "$RAW" "$RESULTS/limits-ab-raw.txt"   # the figures behind the table (LimitsAB report raw=... prints it again)
say "done in $SECONDS s"
