# Shared by bench/run.sh and bench/hooks-ab.sh (sourced, not run).

free_port() {   # a random port nothing listens on
  local p
  while :; do
    p=$((20000 + RANDOM % 40000))
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
