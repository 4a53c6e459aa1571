#!/usr/bin/env bash
# deploy/image-build.sh: the Dockerfile's build and runtime steps as a plain script, for machines without a
# Docker engine (and for CI). It proves the image's layout works without building the image:
#
#   1. build stage:  copies pom.xml and src/ into a temp dir and runs `mvn -B -q package -DskipTests` there
#   2. runtime:      lays out <tmp>/app like the image's /app (canaryllm.jar, lib/, config/, routes/, examples/),
#                    read-only, plus a writable <tmp>/data for CANARYLLM_DATA_DIR (the image's /data volume)
#   3. starts the jar from <tmp>/app with the image's ENTRYPOINT and JVM options on a random free port, as
#                    user nobody when run as root (setpriv), else as the calling (non-root) user
#   4. waits for /health with deploy/healthcheck.sh (the image's HEALTHCHECK), then checks /ready, creates a key
#                    with the master key, calls mock/echo and scrapes /metrics (needs curl; skipped without it)
#   5. checks the gateway wrote only under the data dir, stops it by PID with SIGTERM (as `docker stop` does)
#                    and expects a clean exit within 40 s
#
# Usage:  deploy/image-build.sh [--prebuilt DIR]
#   --prebuilt DIR   skip step 1 and use DIR/canaryllm.jar and DIR/lib (e.g. a target/ you just built)
# Environment: JAVA_HOME (default Temurin 25 when installed), MVN_ARGS (extra Maven arguments, e.g. -o),
#   HEALTH_TIMEOUT_SECONDS (90), KEEP=1 (keep the temp dir for inspection).
# Exit 0 when every step passed; 1 with the gateway log's tail otherwise. Not run by `mvn verify`:
# ComposeFileTest runs it only when CANARYLLM_IMAGE_BUILD_TEST=1.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
prebuilt=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --prebuilt) prebuilt=$(cd "$2" && pwd); shift 2 ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "image-build: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [[ -z ${JAVA_HOME:-} && -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# the image's ENV
java_opts=${CANARYLLM_JAVA_OPTS:--XX:+UseSerialGC -Xms128m -Xmx512m -Xmn64m -XX:TrimNativeHeapInterval=2000}

work=$(mktemp -d "${TMPDIR:-/tmp}/canaryllm-image.XXXXXX")
pid=""
cleanup() {
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  if [[ ${KEEP:-0} == 1 ]]; then echo "image-build: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
step() { printf 'image-build: %s\n' "$*"; }
fail() {
  printf 'image-build: FAILED: %s\n' "$*" >&2
  [[ -f $work/gateway.log ]] && { echo "--- gateway log (tail) ---" >&2; tail -n 40 "$work/gateway.log" >&2; }
  exit 1
}

# ---- 1. build stage (FROM maven … AS build; COPY pom.xml src/; RUN mvn -B -q package -DskipTests) ----
if [[ -n $prebuilt ]]; then
  step "build: using $prebuilt"
  target=$prebuilt
else
  step "build: mvn -B -q package -DskipTests in $work/build"
  mkdir -p "$work/build"
  cp "$repo/pom.xml" "$work/build/"
  cp -R "$repo/src" "$work/build/src"
  (cd "$work/build" && mvn -B -q package -DskipTests ${MVN_ARGS:-}) > "$work/build.log" 2>&1 \
    || { tail -n 40 "$work/build.log" >&2; fail "maven build"; }
  target=$work/build/target
fi
[[ -f $target/canaryllm.jar && -d $target/lib ]] || fail "no canaryllm.jar and lib/ in $target"

# ---- 2. runtime layout (WORKDIR /app; COPY lib/ canaryllm.jar config/ routes/ examples/; /data) ----
app=$work/app data=$work/data
mkdir -p "$app" "$data"
cp -R "$target/lib" "$app/lib"
cp "$target/canaryllm.jar" "$app/canaryllm.jar"
for d in config routes examples; do cp -R "$repo/$d" "$app/$d"; done
cp "$repo/deploy/healthcheck.sh" "$work/canaryllm-healthcheck"
# the Dockerfile's AOT step: train, then start once with the cache; a cache the JVM cannot use is left out
if (cd "$app" && "$java" $java_opts -XX:AOTCacheOutput="$app/canaryllm.aot" -cp "$app/canaryllm.jar" io.canaryllm.AotTraining \
      && "$java" $java_opts -XX:AOTCache="$app/canaryllm.aot" -cp "$app/canaryllm.jar" io.canaryllm.AotTraining check) \
      > "$work/aot-training.log" 2>&1; then
  step "aot: $(du -m "$app/canaryllm.aot" | cut -f1) MB cache trained"
else
  tail -n 20 "$work/aot-training.log" >&2; rm -f "$app/canaryllm.aot"; step "aot: no cache (training failed)"
fi
chmod -R a+rX,a-w "$app"          # owned by "root" in the image: readable, not writable
chmod 755 "$work" "$work/canaryllm-healthcheck"
touch "$work/layout-done"
step "runtime: $(ls "$app/lib" | wc -l) jars in lib/, config/, routes/, examples/ (read-only)"

# ---- 3. start like ENTRYPOINT, as a non-root user, on a random port ----
run_as=()
if [[ $(id -u) == 0 ]]; then
  command -v setpriv >/dev/null || fail "running as root without setpriv: cannot drop to a non-root user"
  chown 65534:65534 "$data"
  run_as=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
  user=nobody
else
  user=$(id -un)
fi
port=""
for _ in $(seq 1 50); do
  p=$((20000 + RANDOM % 40000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
done
[[ -n $port ]] || fail "no free port"
master=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
step "start: $java $java_opts -jar $app/canaryllm.jar as $user on port $port"
(
  cd "$app"
  exec env -i PATH="$PATH" HOME=/nonexistent \
    CANARYLLM_DATA_DIR="$data" CANARYLLM_PORT="$port" CANARYLLM_HOST=127.0.0.1 \
    CANARYLLM_JAVA_OPTS="$java_opts" CANARYLLM_MASTER_KEY="$master" JAVA="$java" \
    CANARYLLM_AOT="${CANARYLLM_AOT:-on}" ${run_as[@]+"${run_as[@]}"} /bin/sh -c \
    'aot=; [ "$CANARYLLM_AOT" != off ] && [ -f '"$app"'/canaryllm.aot ] && aot=-XX:AOTCache='"$app"'/canaryllm.aot; exec "$JAVA" $CANARYLLM_JAVA_OPTS $aot -jar '"$app"'/canaryllm.jar "$@"' canaryllm
) > "$work/gateway.log" 2>&1 &
pid=$!

# ---- 4. HEALTHCHECK, then a smoke test of the API ----
deadline=$((SECONDS + ${HEALTH_TIMEOUT_SECONDS:-90}))
until CANARYLLM_PORT=$port "$work/canaryllm-healthcheck"; do
  kill -0 "$pid" 2>/dev/null || fail "the gateway exited before /health answered"
  (( SECONDS < deadline )) || fail "/health did not answer 200 within ${HEALTH_TIMEOUT_SECONDS:-90} s"
  sleep 0.5
done
step "health: GET /health 200 after ${SECONDS}s of script time (pid $pid; AOT cache in use: $(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -c '^-XX:AOTCache='))"

if command -v curl >/dev/null; then
  base=http://127.0.0.1:$port
  code=$(curl -s -o /dev/null -w '%{http_code}' "$base/ready")
  [[ $code == 200 ]] || fail "/ready answered $code"
  created=$(curl -s -X POST "$base/admin/keys" -H "Authorization: Bearer $master" \
    -H 'Content-Type: application/json' -d '{"name":"image-build"}')
  key=$(printf '%s' "$created" | sed -n 's/.*"key" *: *"\(clk_live_[A-Za-z0-9]*\)".*/\1/p')
  [[ -n $key ]] || fail "POST /admin/keys did not return a key"
  answer=$(curl -s "$base/v1/chat/completions" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
    -d '{"model":"mock/echo","messages":[{"role":"user","content":"hello from the image"}]}')
  [[ $answer == *"hello from the image"* ]] || fail "mock/echo answered: $answer"
  metrics=$(curl -s "$base/metrics")
  for series in canaryllm_requests_seconds_bucket resilience4j_circuitbreaker_state jvm_memory_used_bytes; do
    [[ $metrics == *"$series"* ]] || fail "/metrics lacks $series"
  done
  step "smoke: /ready 200, key created, mock/echo answered, /metrics has requests, breakers, JVM"
else
  step "smoke: skipped (no curl)"
fi

# ---- 5. writes only under the data dir; stop by PID like `docker stop` ----
written=$(find "$app" -newer "$work/layout-done" -print | head -5)
[[ -z $written ]] || fail "the gateway wrote into its working dir: $written"
[[ -n $(ls -A "$data") ]] || fail "nothing written under CANARYLLM_DATA_DIR"
kill -TERM "$pid"
for _ in $(seq 1 80); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
if kill -0 "$pid" 2>/dev/null; then fail "still running 40 s after SIGTERM"; fi
status=0; wait "$pid" || status=$?
pid=""
[[ $status == 0 || $status == 143 ]] || fail "exit status $status after SIGTERM"
step "stop: SIGTERM, exited with $status"
step "OK"
