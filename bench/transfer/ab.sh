#!/usr/bin/env bash
# Two builds' transfer path side by side, in one run: for each of two checkouts (built with
# `mvn -DskipTests -pl p2p-cli -am package`), a seeder node and a downloading node on 127.0.0.1;
# WARM gets of the same 1 GiB random file through each pair, then ROUNDS measured gets per pair,
# alternating which pair goes first, each once the nodes are idle. Prints wall milliseconds and CPU
# ticks (1/100 s) of each node and of the `p2p get` client per get, then the nodes' peak RSS and
# the medians. For a change whose effect is smaller than the machine's noise.
#
#   bench/transfer/ab.sh CHECKOUT_A CHECKOUT_B      # WARM=3 ROUNDS=6 SIZE_MIB=1024
set -euo pipefail
[ $# = 2 ] || { echo "usage: $0 CHECKOUT_A CHECKOUT_B" >&2; exit 2; }
roots=("$1" "$2")
WARM=${WARM:-3}; ROUNDS=${ROUNDS:-6}; SIZE_MIB=${SIZE_MIB:-1024}
W=$(mktemp -d /tmp/p2p-ab.XXXXXX)
pids=()
cleanup() {
  kill "${pids[@]}" 2>/dev/null || true
  for p in "${pids[@]}"; do for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done; done
  rm -rf "$W"
}
trap cleanup EXIT
mkdir -p "$W/src"
head -c "$((SIZE_MIB * 1024 * 1024))" /dev/urandom >"$W/src/big.bin"
sleep 4 # older than FileStamp.SETTLE_NANOS when shared, as a file shared in place usually is
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
declare -a seeder downloader link
for i in 0 1; do
  r=${roots[$i]}; pa=$(free_port); pb=$(free_port)
  "$r/bin/p2p" --data-dir "$W/$i-a" node --port "$pa" --port-mapping off >"$W/$i-a.out" 2>&1 &
  "$r/bin/p2p" --data-dir "$W/$i-b" node --port "$pb" --port-mapping off --bootstrap "127.0.0.1:$pa" >"$W/$i-b.out" 2>&1 &
  until grep -q '^ready' "$W/$i-a.out" 2>/dev/null && grep -q '^ready' "$W/$i-b.out" 2>/dev/null; do sleep 0.2; done
  seeder[$i]=$(pgrep -f -- "--data-dir $W/$i-a node" | tail -n 1)
  downloader[$i]=$(pgrep -f -- "--data-dir $W/$i-b node" | tail -n 1)
  pids+=("${seeder[$i]}" "${downloader[$i]}")
  l=$("$r/bin/p2p" --data-dir "$W/$i-a" share "$W/src/big.bin" | tail -n 1)
  link[$i]="${l%%\?*}?peer=$(grep -o '^node [0-9a-f]*' "$W/$i-a.out" | cut -d' ' -f2)@127.0.0.1:$pa"
done
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
TIMEFORMAT='%U %S' # the client's CPU seconds, user and system
get() { # index, print
  local i=$1 a0 b0 t0 t1
  rm -rf "$W/out"; sync
  a0=$(ticks "${seeder[$i]}"); b0=$(ticks "${downloader[$i]}"); t0=$(date +%s%N)
  { time "${roots[$i]}/bin/p2p" --data-dir "$W/$i-b" get "${link[$i]}" -o "$W/out" --no-share >/dev/null 2>&1; } 2>"$W/client"
  t1=$(date +%s%N)
  cmp -s "$W/src/big.bin" "$W/out/big.bin" || { echo "checkout $i: the file differs" >&2; exit 1; }
  [ "$2" = 1 ] && echo "$i $(( (t1 - t0) / 1000000 )) $(( $(ticks "${seeder[$i]}") - a0 )) $(( $(ticks "${downloader[$i]}") - b0 )) $(cut -d' ' -f1 /proc/loadavg) $(awk '{printf "%d", ($1 + $2) * 100}' "$W/client")" >>"$W/runs"
  return 0
}
# Before a measured get, until the four nodes are idle (at most 10 s): what C2 still compiles from
# the other pair's last get would otherwise slow this one, and the first round's first pair most.
settle() {
  local before after
  for _ in $(seq 1 20); do
    before=$(for p in "${pids[@]}"; do ticks "$p"; done | awk '{s += $1} END {print s}')
    sleep 0.5
    after=$(for p in "${pids[@]}"; do ticks "$p"; done | awk '{s += $1} END {print s}')
    [ $((after - before)) -le 2 ] && return 0
  done
}
for _ in $(seq 1 "$WARM"); do get 0 0; get 1 0; done
for n in $(seq 1 "$ROUNDS"); do
  if [ $((n % 2)) = 1 ]; then settle; get 0 1; settle; get 1 1; else settle; get 1 1; settle; get 0 1; fi
done
echo "$SIZE_MIB MiB, $WARM warm gets, $ROUNDS rounds; A = $1 ($(git -C "$1" rev-parse --short HEAD)), B = $2 ($(git -C "$2" rev-parse --short HEAD))"
echo "build wall_ms seeder_ticks downloader_ticks load client_ticks"
awk '{print ($1 == 0 ? "A" : "B"), $2, $3, $4, $5, $6}' "$W/runs"
for i in 0 1; do
  echo "peak RSS $([ $i = 0 ] && echo A || echo B): seeder $(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/${seeder[$i]}/status") MiB, downloader $(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/${downloader[$i]}/status") MiB"
done
for i in 0 1; do
  for col in 2 3 4 6; do awk -v i=$i -v c=$col '$1 == i {print $c}' "$W/runs" | sort -n | awk '{v[NR]=$1} END {printf "%s ", (NR % 2 ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2)}'; done \
    | awk -v b=$([ $i = 0 ] && echo A || echo B) '{printf "median %s: %s ms, seeder %.2f CPU-s, downloader %.2f CPU-s, client %.2f CPU-s\n", b, $1, $2 / 100, $3 / 100, $4 / 100}'
done
