#!/usr/bin/env bash
# Runs every command `ldp --help` lists (and every subcommand) against a dataset `ldp run` built, with
# default options, or with the repository's example file where an argument is required; prints a
# Markdown table: command, exit code, wall seconds. Exit 1 when any command fails or prints a stack trace.
#
# Usage: tests/scripts/every-command.sh DATA_DIR
#   LDP     how to call ldp (default: dotnet <repo>/jobs/LinkedDataset.Jobs/bin/Release/net10.0/ldp.dll, built if missing)
#   LOGS    folder for each command's output (default: a temporary folder, named at the end)
#   ONLY    space-separated commands to run (e.g. "serve pseudonymise"); default: every one
set -uo pipefail

if [[ $# -ne 1 || ! -d "$1" ]]; then
  echo "usage: $0 DATA_DIR   (a dataset folder that 'ldp run' built)" >&2
  exit 2
fi

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="$(cd "$1" && pwd)"
dll="$repo/jobs/LinkedDataset.Jobs/bin/Release/net10.0/ldp.dll"
if [[ -z "${LDP:-}" ]]; then
  [[ -f "$dll" ]] || dotnet build "$repo/jobs/LinkedDataset.Jobs" -c Release -v q -nologo >&2 || exit 2
  LDP="dotnet $dll"
fi
logs="${LOGS:-$(mktemp -d /tmp/ldp-every-command.XXXXXX)}"
mkdir -p "$logs"
scratch="$(mktemp -d /tmp/ldp-every-command-scratch.XXXXXX)"
trap 'rm -rf "$scratch"' EXIT
export COLUMNS=200

ex="$repo/schemas"
rows=()
failed=0

# wanted NAME: true when ONLY is unset or names the command (its first word).
wanted() { [[ -z "${ONLY:-}" || " $ONLY " == *" ${1%% *} "* ]]; }

# run NAME ARGS...: runs `ldp ARGS...` from the scratch folder, records exit code and wall seconds.
run() {
  local name="$1"; shift
  wanted "$name" || return 0
  local log="$logs/${name// /-}.log" start end code note=""
  start=$(date +%s.%N)
  (cd "$scratch" && $LDP "$@") >"$log" 2>&1 </dev/null
  code=$?
  end=$(date +%s.%N)
  if grep -qE '^\s+at [A-Za-z_.]+\(|Unhandled exception' "$log"; then note=" (stack trace)"; fi
  [[ $code -ne 0 || -n "$note" ]] && failed=1
  rows+=("| \`ldp $name\` | $code$note | $(printf '%.1f' "$(echo "$end - $start" | bc)") |")
}

# serve: start it, GET /health once it answers, stop it. Exit code 0 when the GET answered 2xx.
serve() {
  wanted serve || return 0
  local port log="$logs/serve.log" start end code=1 http=000 pid
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  start=$(date +%s.%N)
  (cd "$scratch" && exec $LDP serve --data "$data" --port "$port") >"$log" 2>&1 </dev/null &
  pid=$!
  for _ in $(seq 1 240); do
    http=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health" || true)
    [[ "$http" != "000" ]] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  end=$(date +%s.%N)
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"; wait "$pid" 2>/dev/null
    [[ "$http" =~ ^2 ]] && code=0
  else
    wait "$pid"; code=$?; [[ $code -eq 0 ]] && code=1
  fi
  echo "GET /health: HTTP $http" >>"$log"
  [[ $code -ne 0 ]] && failed=1
  rows+=("| \`ldp serve\` (start, GET /health → $http, stop) | $code | $(printf '%.1f' "$(echo "$end - $start" | bc)") |")
}

pmi_file="$(find "$data/landing/pmi" -name '*.csv' | sort | head -1)"
# The key the dataset was built with: the development key unless LDP_PSEUDONYM_KEY_FILE names another.
dev_key="${LDP_PSEUDONYM_KEY_FILE:-${LDP_DEV_KEY_FILE:-$HOME/.linkeddataset/dev-pseudonym.key}}"
head -c 32 /dev/urandom >"$scratch/new.key"

# Every command and subcommand the help lists, each with what it needs.
commands=$($LDP --help | awk '/^Commands:/{on=1; next} on && /^  [a-z]/{print $1}')
for command in $commands; do
  case "$command" in
    run) run "run" run --data "$data" ;;
    synth) run "synth" synth --out "$scratch/synth" ;;
    # A provider pseudonymises with the key agreed for the dataset (no development-key fallback at source): the dataset's own.
    pseudonymise) run "pseudonymise" pseudonymise "$pmi_file" "$scratch/pmi-pseudonymised.csv" --feed pmi --key-file "$dev_key" ;;
    rekey)
      wanted rekey || continue
      # On a copy: rekeying moves the dataset to another key, and the commands after it use the first.
      cp -r "$data" "$scratch/rekey-data"
      run "rekey" rekey --old-key-file "$dev_key" --new-key-file "$scratch/new.key" --data "$scratch/rekey-data"
      rm -rf "$scratch/rekey-data" ;;
    extract) run "extract" extract --project every-command --cohort "$ex/cohorts/frail-75-plus-emergency.cohort.yaml" --columns "person.sex person.birth_month" --data "$data" ;;
    serve) serve ;;
    demand) run "demand" demand --scenario "$ex/scenarios/demographic_only.yaml" --data "$data" ;;
    evaluate) run "evaluate" evaluate --spec "$ex/evaluations/social_prescribing.yaml" --data "$data" ;;
    measures) run "measures" measures "$ex/cohorts/emergency-admissions-month-imd.measure.yaml" --data "$data" ;;
    cohort)
      for sub in $($LDP cohort --help | awk '/^Commands:/{on=1; next} on && /^  [a-z]/{print $1}'); do
        case "$sub" in
          run) run "cohort run" cohort run "$ex/cohorts/frail-75-plus-emergency.cohort.yaml" --data "$data" ;;
          test) run "cohort test" cohort test "$ex/cohorts/frail-75-plus-emergency.test.yaml" ;;
          *) echo "every-command.sh: no recipe for 'ldp cohort $sub'; add one" >&2; failed=1 ;;
        esac
      done ;;
    *) run "$command" "$command" --data "$data" ;;
  esac
done

echo "| command | exit code | wall seconds |"
echo "|---|---:|---:|"
printf '%s\n' "${rows[@]}"
echo
echo "Output of each command: $logs" >&2
exit $failed
