# Shared by bench/run.sh, bench/hooks-ab.sh and bench/limits-ab.sh (sourced, not run, from the repository root).

export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
JAVA="$JAVA_HOME/bin/java"
TOOL_JVM=(-XX:+UseSerialGC -Xmx512m -XX:-UsePerfData)   # the fake and the load client: small, single GC thread
ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

stop_pids() {   # stop_pids PID...: SIGTERM, up to 5 s to end, then SIGKILL (only the processes a script started)
  local pid
  for pid in "$@"; do kill "$pid" 2>/dev/null; done
  for pid in "$@"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
  done
}

free_port() {   # a random port nothing listens on, below Linux's ephemeral range (32768-60999): the 10,000-stream
  local p       # phase leaves ~10,000 client ports there in TIME-WAIT, which a listener may not be able to bind
  while :; do
    p=$((20000 + RANDOM % 12768))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}

wait_http() {   # wait_http URL SECONDS [PID]: until it answers 200 (gives up at once when process PID has ended)
  local deadline=$((SECONDS + $2))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1")" = 200 ]; do
    [ $SECONDS -ge $deadline ] && { echo "no 200 from $1 within $2 s" >&2; return 1; }
    [ -n "${3:-}" ] && ! kill -0 "$3" 2>/dev/null && { echo "the process behind $1 ended" >&2; return 1; }
    sleep 0.2
  done
}

start_fake() {   # the bench fake upstream from $WORK/classes on a free port: sets FAKE_PORT and FAKE_PID
  FAKE_PORT=$(free_port)
  say "fake upstream on 127.0.0.1:$FAKE_PORT"
  "$JAVA" "${TOOL_JVM[@]}" -cp "$WORK/classes" FakeUpstream "$FAKE_PORT" >"$WORK/fake.log" 2>&1 &
  FAKE_PID=$!
  wait_http "http://127.0.0.1:$FAKE_PORT/health" 30 "$FAKE_PID"
}

ensure_jar() {   # builds target/canaryllm.jar when it is missing (retried: a concurrent edit may break one build)
  [ -f target/canaryllm.jar ] && return 0
  local attempt
  for attempt in 1 2 3; do
    say "building target/canaryllm.jar (attempt $attempt)"
    timeout 600 mvn -B -q package -DskipTests && return 0
    [ $attempt -lt 3 ] && sleep 60
  done
  echo "build failed" >&2
  return 1
}
