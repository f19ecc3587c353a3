#!/usr/bin/env bash
# Runs every adversary scenario (or those whose file name matches $1) and prints the table of
# docs/ADVERSARIES.md. Results go to ${OUT:-/tmp/adversaries}/NAME/; each 1,000-peer run takes
# 10 to 30 s of wall time on a shared 2-core machine, eclipse-10k-defences-on about 2 minutes.
# PARALLEL=N runs N at a time (default 1).
#   simulator/scenarios/adversaries/run-all.sh            # all 22
#   PARALLEL=2 simulator/scenarios/adversaries/run-all.sh 'mixed|eclipse-(defences|same)'
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
out="${OUT:-/tmp/adversaries}"
mkdir -p "$out"
# Build once up front, so parallel runs do not all try to.
"$root/simulator/bin/sim" --help > /dev/null
files=$(ls "$here"/*.scenario | grep -E "${1:-.}") || { echo "no scenario matches '$1'" >&2; exit 2; }
printf '%s\n' $files | xargs -P "${PARALLEL:-1}" -I{} sh -c \
  'n=$(basename {} .scenario); "$0/simulator/bin/sim" {} --out "$1/$n" > "$1/$n.log" 2>&1 || echo "$n failed, see $1/$n.log" >&2' \
  "$root" "$out"
# One JSON field, by its indentation in summary.json (fields are written one per line).
field() { grep -m1 "^$2\"$1\" :" "$3" | sed 's/.*: //; s/,$//'; }
echo "| scenario | lookup success | content findable | honest table entries naming an adversary | eclipse: provider lookups without the real provider | eclipse: node lookups with only adversaries |"
echo "| --- | --- | --- | --- | --- | --- |"
for f in $files; do
  n=$(basename "$f" .scenario)
  s="$out/$n/summary.json"
  [[ -f "$s" ]] || continue
  eclipse_p="" eclipse_n=""
  if grep -q '"eclipse" :' "$s"; then
    eclipse_p="$(field providerLookupsWithoutRealProvider '      ' "$s") of $(field providerLookups '      ' "$s")"
    eclipse_n="$(field nodeLookupsOnlyAdversaries '      ' "$s") of $(field nodeLookups '      ' "$s")"
  fi
  echo "| $n | $(field successRate '    ' "$s") | $(field findableShare '    ' "$s") | $(field routingEntriesHostileShare '    ' "$s") | $eclipse_p | $eclipse_n |"
done
