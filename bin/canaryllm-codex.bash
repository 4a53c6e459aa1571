#!/usr/bin/env bash
# canaryllm-codex.bash: runs the OpenAI Codex CLI against a CanaryLLM gateway, for this run only.
# The bash twin of bin/canaryllm-codex (fish); same environment, same options, same command line.
#
#   export CANARYLLM_API_KEY=clk_live_...         # a gateway key (POST /admin/keys), not a provider key
#   canaryllm-codex.bash                          # interactive, model openai/gpt-5
#   CANARYLLM_MODEL=anthropic/claude-sonnet-4-5 canaryllm-codex.bash exec "explain this repo"
#   canaryllm-codex.bash --print-command exec hi  # print the codex command line instead of running it
#
# Environment:
#   CANARYLLM_API_KEY   required; Codex reads it itself (env_key), so it never appears on the command line
#   CANARYLLM_URL       the gateway's OpenAI base URL, default http://localhost:8080/v1
#   CANARYLLM_MODEL     the model id (provider/model), default openai/gpt-5
#   CANARYLLM_DRY_RUN   1: same as --print-command
#
# Codex is configured with inline -c overrides: a model provider "canaryllm" (wire_api "responses": Codex
# calls POST /v1/responses), selected as model_provider, and the model. ~/.codex/config.toml is never read for
# these keys nor written. Every other argument goes to codex unchanged.
set -euo pipefail

# Quotes one argument for a POSIX shell (bare when safe, else in single quotes), as the fish script does.
quote() {
  if [[ $1 =~ ^[A-Za-z0-9_./:=@%+,-]+$ ]]; then
    printf '%s' "$1"
  else
    local q="'\\''"
    printf "'%s'" "${1//\'/$q}"
  fi
}

# A TOML basic string: backslashes and double quotes escaped.
toml() {
  local s=${1//\\/\\\\}
  printf '"%s"' "${s//\"/\\\"}"
}

if [[ -z ${CANARYLLM_API_KEY:-} ]]; then
  echo "canaryllm-codex: set CANARYLLM_API_KEY to a CanaryLLM key (clk_live_...)" >&2
  exit 2
fi

base_url=${CANARYLLM_URL:-http://localhost:8080/v1}
while [[ $base_url == */ ]]; do base_url=${base_url%/}; done
model=${CANARYLLM_MODEL:-openai/gpt-5}

dry_run=0
[[ ${CANARYLLM_DRY_RUN:-} == 1 ]] && dry_run=1
passthrough=()
for arg in "$@"; do
  if [[ $arg == --print-command ]]; then dry_run=1; else passthrough+=("$arg"); fi
done

provider="{name=\"CanaryLLM\",base_url=$(toml "$base_url"),env_key=\"CANARYLLM_API_KEY\",wire_api=\"responses\"}"
cmd=(codex -c model_provider=canaryllm -c "model_providers.canaryllm=$provider" -c "model=$(toml "$model")"
     ${passthrough[@]+"${passthrough[@]}"})

if (( dry_run )); then
  line=""
  for arg in "${cmd[@]}"; do line+="${line:+ }$(quote "$arg")"; done
  printf '%s\n' "$line"
  exit 0
fi

if ! command -v codex >/dev/null 2>&1; then
  echo "canaryllm-codex: codex is not on PATH (npm install -g @openai/codex)" >&2
  exit 127
fi
exec "${cmd[@]}"
