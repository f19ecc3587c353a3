#!/usr/bin/env bash
# Where a p2p transfer's cycles go: two running nodes (a seeder and a downloader, as
# vs-libtorrent.sh runs them), WARM gets of a 1 GiB random file to warm the JIT up, then
# async-profiler attached to both nodes for one more timed `p2p get`; prints the CPU seconds of
# each node and the share of its samples per bucket (bench/transfer/buckets.py).
#
#   AP_LIB=/path/libasyncProfiler.so bench/transfer/profile.sh     # WARM=2 SIZE_MIB=1024 KEEP=0
#
# async-profiler: mvn dependency:get -Dartifact=tools.profiler:async-profiler:4.2, then unzip
# linux-x64/libasyncProfiler.so from the jar. The collapsed stacks stay in $WORK/{seed,get}.collapsed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
: "${AP_LIB:?set AP_LIB to libasyncProfiler.so (see the comment at the top)}"
WARM=${WARM:-2}
SIZE_MIB=${SIZE_MIB:-1024}
WORK=${WORK:-$(mktemp -d /tmp/p2p-profile.XXXXXX)}
p2p() { "$root/bin/p2p" "$@"; }
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ "${KEEP:-0}" = 1 ] || rm -rf "$WORK/src" "$WORK/out" "$WORK/a" "$WORK/b"
}
trap cleanup EXIT
p2p --version >/dev/null # builds the jar once, before two nodes would race to
mkdir -p "$WORK/src"
head -c "$((SIZE_MIB * 1024 * 1024))" /dev/urandom >"$WORK/src/big.bin"
sleep 4 # older than FileStamp.SETTLE_NANOS when shared, as a file shared in place usually is
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pa=$(free_port); pb=$(free_port)
p2p --data-dir "$WORK/a" node --port "$pa" --port-mapping off >"$WORK/a.out" 2>&1 & pids+=($!)
p2p --data-dir "$WORK/b" node --port "$pb" --port-mapping off --bootstrap "127.0.0.1:$pa" >"$WORK/b.out" 2>&1 & pids+=($!)
until grep -q '^ready' "$WORK/a.out" 2>/dev/null && grep -q '^ready' "$WORK/b.out" 2>/dev/null; do sleep 0.2; done
node_pid() { pgrep -f -- "--data-dir $WORK/$1 node" | tail -n 1; }
A=$(node_pid a); B=$(node_pid b)
pids+=("$A" "$B") # the JVMs themselves: the background jobs are subshells around bin/p2p
link=$(p2p --data-dir "$WORK/a" share "$WORK/src/big.bin" | tail -n 1)
link="${link%%\?*}?peer=$(grep -o '^node [0-9a-f]*' "$WORK/a.out" | cut -d' ' -f2)@127.0.0.1:$pa"
get() { rm -rf "$WORK/out"; sync; p2p --data-dir "$WORK/b" get "$link" -o "$WORK/out" --no-share >/dev/null 2>&1; }
for _ in $(seq 1 "$WARM"); do get; done
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# jcmd splits its arguments at '=': the agent's options go in double quotes.
for p in $A $B; do jcmd "$p" JVMTI.agent_load "$AP_LIB" '"start,event=cpu,interval=997us,threads"' >/dev/null; done
a0=$(ticks "$A"); b0=$(ticks "$B"); t0=$(date +%s%N)
get
t1=$(date +%s%N)
a1=$(ticks "$A"); b1=$(ticks "$B")
jcmd "$A" JVMTI.agent_load "$AP_LIB" "\"stop,file=$WORK/seed.collapsed,collapsed\"" >/dev/null
jcmd "$B" JVMTI.agent_load "$AP_LIB" "\"stop,file=$WORK/get.collapsed,collapsed\"" >/dev/null
cmp "$WORK/src/big.bin" "$WORK/out/big.bin"
tck=$(getconf CLK_TCK)
echo "$SIZE_MIB MiB after $WARM warm gets, commit $(git -C "$root" rev-parse --short HEAD), load $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v a="$t0" -v b="$t1" 'BEGIN{printf "get: %.2f s\n", (b-a)/1e9}'
awk -v s=$((a1 - a0)) -v d=$((b1 - b0)) -v t="$tck" 'BEGIN{printf "CPU: seeder node %.2f s, downloading node %.2f s\n", s/t, d/t}'
python3 "$root/bench/transfer/buckets.py" "$WORK/seed.collapsed" "$WORK/get.collapsed"
echo "stacks: $WORK/seed.collapsed $WORK/get.collapsed"
