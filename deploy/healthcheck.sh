#!/usr/bin/env bash
# CanaryLLM liveness probe: exits 0 when GET /health on 127.0.0.1:$CANARYLLM_PORT (default 8080) answers 200
# within 3 seconds, 1 otherwise. Bash only (no curl or wget in the runtime image): the image's HEALTHCHECK,
# the compose healthcheck and deploy/image-build.sh all run this file.
#   usage: healthcheck.sh [port]
port="${1:-${CANARYLLM_PORT:-8080}}"
{ exec 3<>"/dev/tcp/127.0.0.1/${port}"; } 2>/dev/null || exit 1
printf 'GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
IFS= read -r -t 3 status <&3 || exit 1
[[ $status == HTTP/1.?" 200"* ]]
