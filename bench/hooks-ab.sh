#!/usr/bin/env bash
# Do the EMPTY extension points cost anything? Gateway A runs the routes as they are; gateway B the very same snapshot
# with every `- to:` step whose uri is direct:before-upstream, direct:after-response or direct:on-error removed (the
# hook routes stay loaded, nothing calls them). Both run side by side with the same jar and JVM settings against one
# fake upstream and are measured interleaved (bench/README.md, "Extension points: A/B").
# Usage: bench/hooks-ab.sh   (from anywhere; about 2 minutes; the table also goes to bench/results/hooks-ab.txt)
#   HOOKS_AB_WARM_S=180  a longer JIT warm-up (default 45 s; on 2 CPUs two gateways need about 150 s to settle)
#   HOOKS_AB_REV=COMMIT  routes/ and config/ of that commit instead of the working tree's (when those need a newer jar)
#   HOOKS_AB_SAME=1      control run: B keeps the hooks too, so A-B shows how far apart two identical gateways measure
# Only 127.0.0.1 traffic. Every phase runs under `timeout`; at exit only the processes started here are stopped.
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
source "$ROOT/bench/lib.sh"   # JAVA_HOME, JAVA, TOOL_JVM, the open-files limit, and the helpers

WORK="$(mktemp -d /tmp/canaryllm-hooks-ab.XXXXXX)"
RESULTS="$ROOT/bench/results"
mkdir -p "$RESULTS"
FAKE_PID="" A_PID="" B_PID=""

cleanup() {
  stop_pids $A_PID $B_PID $FAKE_PID
  for v in a b; do [ -f "$WORK/gateway-$v.log" ] && cp "$WORK/gateway-$v.log" "$RESULTS/hooks-ab-gateway-$v.log"; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf '\n== [%3d s] %s\n' "$SECONDS" "$*" >&2; }
die() { echo "hooks-ab: $*" >&2; exit 1; }

# 1. the jar (built only when missing, as bench/run.sh does) and the bench programs
ensure_jar || exit 1
timeout 120 "$JAVA_HOME/bin/javac" -d "$WORK/classes" bench/src/FakeUpstream.java bench/src/Load.java bench/src/HooksAB.java || exit 1

# 2. two snapshots of one copy of the tree (as bench/run.sh takes it): A as it is, B without the calls to the hooks.
# A is copied from the tree once and B from A, so an edit to the tree meanwhile cannot make them differ otherwise.
STALE=$(find src/main pom.xml -newer target/canaryllm.jar 2>/dev/null | wc -l)
[ "$STALE" -gt 0 ] && echo "note: $STALE files under src/main/ or pom.xml are newer than target/canaryllm.jar; measuring the jar as built" >&2
NEWER_ROUTES=$(find routes config -newer target/canaryllm.jar -type f 2>/dev/null | wc -l)
[ "$NEWER_ROUTES" -gt 0 ] && [ -z "${HOOKS_AB_REV:-}" ] && echo "note: $NEWER_ROUTES files under routes/ or config/ are newer than target/canaryllm.jar; if they need" \
  "newer code the gateways will not start: rebuild the jar, or take them from the commit the jar was built from (HOOKS_AB_REV=...)" >&2
A_DIR="$WORK/a" B_DIR="$WORK/b"
mkdir -p "$A_DIR/target" "$A_DIR/src"
cp -Rp bin config routes pom.xml "$A_DIR/" && cp -Rp target/canaryllm.jar target/lib "$A_DIR/target/" || exit 1
JAR_DATE=$(date -r "$A_DIR/target/canaryllm.jar" '+%F %T') ROUTES_SRC="the working tree"
if [ -n "${HOOKS_AB_REV:-}" ]; then   # routes/ and config/ of a commit instead (when the tree's are ahead of the jar)
  ROUTES_SRC="git $(git rev-parse --short --verify "$HOOKS_AB_REV^{commit}")" || die "no commit $HOOKS_AB_REV"
  say "routes/ and config/ from $ROUTES_SRC, not from the working tree"
  rm -rf "$A_DIR/routes" "$A_DIR/config"
  git archive "$HOOKS_AB_REV" routes config | tar -x -C "$A_DIR" || die "cannot take routes/ and config/ from $HOOKS_AB_REV"
fi
touch -r "$A_DIR/target/canaryllm.jar" "$A_DIR/src" "$A_DIR/pom.xml"   # bin/canaryllm must not rebuild there
cp -Rp "$A_DIR" "$B_DIR" || exit 1

HOOK_URI='direct:(//)?(before-upstream|after-response|on-error)'
# Drops every YAML list item that starts with `- to:` and names a hook uri: the `- to:` line and the lines below it
# indented deeper than its dash (the item's id:, uri:, ...), up to the first blank line or line not indented deeper.
# Everything else is copied unchanged. Writes "ITEMS LINES" (what it removed) to the file COUNTS.
strip_hooks() {   # strip_hooks IN OUT COUNTS
  awk -v out="$2" -v counts="$3" '
    function flush() {
      if (n) {
        if (buf ~ /(uri:|- to:)[ \t]*["\047]?direct:(\/\/)?(before-upstream|after-response|on-error)([^-A-Za-z0-9_]|$)/) {
          items++; lines += n
        } else printf "%s", buf > out
      }
      n = 0; buf = ""
    }
    {
      if (n) {
        match($0, /^ */)
        if ($0 !~ /^[ \t]*$/ && RLENGTH > dash) { buf = buf $0 "\n"; n++; next }
        flush()
      }
      if ($0 ~ /^ *- to:/) { match($0, /^ */); dash = RLENGTH; buf = $0 "\n"; n = 1; next }
      print > out
    }
    END { flush(); printf "%d %d\n", items, lines > counts }
  ' "$1"
}
REMOVED=0 REMOVED_LINES=0
for f in "$A_DIR"/routes/*.camel.yaml; do
  name=$(basename "$f")
  strip_hooks "$f" "$B_DIR/routes/$name" "$WORK/counts" || die "could not edit $name"
  read -r items lines <"$WORK/counts"
  [ "$items" -gt 0 ] && echo "B: $name: removed $items hook steps ($lines lines)" >&2
  [ "$lines" -eq $((3 * items)) ] || echo "note: $name: the removed hook steps are $lines lines, not 3 each" >&2
  REMOVED=$((REMOVED + items)) REMOVED_LINES=$((REMOVED_LINES + lines))
done
# checks: A calls the hooks; B names the hook uris only where the hook routes define them (their from:), and the
# hook route files are intact; B differs from A by exactly the removed lines
A_URIS=$(cat "$A_DIR"/routes/*.camel.yaml | grep -cE "^[^#]*(uri:|- to:)[ \"']*$HOOK_URI")
[ "$REMOVED" -gt 0 ] && [ "$A_URIS" -eq $((REMOVED + 3)) ] \
  || die "A names a hook uri $A_URIS times (3 of them the hook routes' from:), but $REMOVED steps were removed"
LEFT=$(grep -nE "^[^#]*$HOOK_URI" "$B_DIR"/routes/*.camel.yaml | grep -vE '/routes/hook-([a-z-]+)\.camel\.yaml:[0-9]+: *uri: *direct:\1 *$')
[ -z "$LEFT" ] || die "B still names a hook uri outside the hook routes' from: $LEFT"
for h in before-upstream after-response on-error; do
  cmp -s "$A_DIR/routes/hook-$h.camel.yaml" "$B_DIR/routes/hook-$h.camel.yaml" || die "B lacks routes/hook-$h.camel.yaml"
  grep -qE "^ *uri: *direct:$h *$" "$B_DIR/routes/hook-$h.camel.yaml" || die "routes/hook-$h.camel.yaml does not define direct:$h"
done
DIFF_OUT=$(diff -r "$A_DIR" "$B_DIR")
[ "$(grep -c '^<' <<<"$DIFF_OUT")" -eq "$REMOVED_LINES" ] && ! grep -q '^>' <<<"$DIFF_OUT" \
  && [ -z "$(grep '^diff \|^Only in\|^Binary' <<<"$DIFF_OUT" | grep -v "^diff -r $A_DIR/routes/[^ ]* $B_DIR/routes/")" ] \
  || { echo "$DIFF_OUT" >&2; die "B differs from A by more than the removed hook steps"; }
say "B = A without $REMOVED hook steps ($REMOVED_LINES lines); the three hook routes are still in B"
for h in before-upstream after-response on-error; do   # where A calls each hook (the shipped routes: 3, 2 and 1 sites)
  echo "  A calls direct:$h from: $(grep -lE "^[^#]*(uri:|- to:)[ \"']*direct:(//)?$h([^-A-Za-z0-9_]|$)" "$A_DIR"/routes/*.camel.yaml \
    | grep -v "/routes/hook-$h\.camel\.yaml" | xargs -rn1 basename | tr '\n' ' ')" >&2
done
diff -r "$A_DIR/routes" "$B_DIR/routes" | sed 's/^/  /' >&2
CONTROL=0
if [ "${HOOKS_AB_SAME:-0}" = 1 ]; then   # control run: B gets A's routes back, so A-B is two identical gateways apart
  cp -p "$A_DIR"/routes/*.camel.yaml "$B_DIR/routes/" && diff -r "$A_DIR" "$B_DIR" >/dev/null || die "cannot make B the same as A"
  CONTROL=1
  say "CONTROL RUN (HOOKS_AB_SAME=1): B has the very same routes as A, hooks included"
fi

# 3. the fake upstream and the two gateways (each its own snapshot, port and data directory; the shipped JVM settings)
start_fake || exit 1

start_gateway() {   # start_gateway a|b PORT: sets A_PID or B_PID
  local v=$1 port=$2 dir="$WORK/$1"
  CANARYLLM_MASTER_KEY=bench-master CANARYLLM_DATA_DIR="$WORK/data-$v" CANARYLLM_PORT="$port" CANARYLLM_HOST=127.0.0.1 \
    CANARYLLM_OPENAI_BASE_URL="http://127.0.0.1:$FAKE_PORT/v1" \
    "$dir/bin/canaryllm" >"$WORK/gateway-$v.log" 2>&1 &
  if [ "$v" = a ]; then A_PID=$!; else B_PID=$!; fi
}
A_PORT=$(free_port)
B_PORT=$(free_port)
while [ "$B_PORT" = "$A_PORT" ] || [ "$B_PORT" = "$FAKE_PORT" ]; do B_PORT=$(free_port); done
say "gateway A (hooks) on 127.0.0.1:$A_PORT, gateway B (no hooks) on 127.0.0.1:$B_PORT"
start_gateway a "$A_PORT"
start_gateway b "$B_PORT"
wait_http "http://127.0.0.1:$A_PORT/health" 90 "$A_PID" || { tail -20 "$WORK/gateway-a.log" >&2; exit 1; }
wait_http "http://127.0.0.1:$B_PORT/health" 90 "$B_PID" || { tail -20 "$WORK/gateway-b.log" >&2; exit 1; }
for v in a b; do
  for h in before-upstream after-response on-error; do
    # JSON logs (the default) escape the slashes: direct:\/\/NAME
    grep -Eq "Started hook-$h \(direct:(//|\\\\/\\\\/)$h\)" "$WORK/gateway-$v.log" || die "gateway $v did not start the route hook-$h"
  done
done

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

# 4. the phases, each bounded; a failed phase leaves its figures empty (MISSING) in the table
RAW="$WORK/raw.txt"
echo "removed_steps=$REMOVED" >"$RAW"
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
WARM_S=${HOOKS_AB_WARM_S:-45}
phase warm $((WARM_S + 35)) max="$WARM_S"    # Load's JIT warm-up rounds, A and B in turn (HOOKS_AB_WARM_S: longer)
phase rps 40 conc=16 slice=5                 # CPU per request, slices A B B A
phase events 40 conc=100 events=50 gap=10 seconds=4   # CPU per relayed event, slices A B B A
phase seq 60 warm=500 n=3000 rounds=3        # latency, A / B / direct interleaved request by request

for v in a b; do
  say "gateway ${v^^} log: $(grep -c ' WARN ' "$WORK/gateway-$v.log") WARN, $(grep -c ' ERROR ' "$WORK/gateway-$v.log") ERROR lines (copied to bench/results/hooks-ab-gateway-$v.log)"
done
echo
"$JAVA" "${TOOL_JVM[@]}" -cp "$WORK/classes" HooksAB report raw="$RAW" hz="$(getconf CLK_TCK)" table="$RESULTS/hooks-ab.txt" \
  routes="$ROUTES_SRC" jar="$JAR_DATE" control="$CONTROL"
cp "$RAW" "$RESULTS/hooks-ab-raw.txt"   # the figures behind the table (HooksAB report raw=... prints it again)
