#!/usr/bin/env bash
# Where a p2p transfer's cycles go: two running nodes (a seeder and a downloader, as
# vs-libtorrent.sh runs them), WARM gets of a 1 GiB random file to warm the JIT up, then
# async-profiler attached to both nodes for one more timed `p2p get`; prints the CPU seconds of
# each node and the share of its samples per bucket (bench/transfer/buckets.py).
# SEEDERS=N runs N seeder nodes, as vs-libtorrent.sh --seeders N does (the downloader finds them
# through the DHT); the seeders' samples are merged into seed.collapsed, and each seeder's CPU
# seconds and bytes written (wchar) are printed. P2P_NODE_OPTS: JVM options for the nodes only
# (e.g. -XX:+LogCompilation); the uptime of each node's JVM when the profiled get starts and ends
# goes to $WORK/window.txt, to match against such logs' stamps.
#
#   AP_LIB=/path/libasyncProfiler.so bench/transfer/profile.sh     # WARM=2 SIZE_MIB=1024 SEEDERS=1 KEEP=0
#
# async-profiler: mvn dependency:get -Dartifact=tools.profiler:async-profiler:4.2, then unzip
# linux-x64/libasyncProfiler.so from the jar. The collapsed stacks stay in $WORK/{seed,get}.collapsed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
: "${AP_LIB:?set AP_LIB to libasyncProfiler.so (see the comment at the top)}"
WARM=${WARM:-2}
SEEDERS=${SEEDERS:-1}
SIZE_MIB=${SIZE_MIB:-1024}
WORK=${WORK:-$(mktemp -d /tmp/p2p-profile.XXXXXX)}
p2p() { "$root/bin/p2p" "$@"; }
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ "${KEEP:-0}" = 1 ] || rm -rf "$WORK/src" "$WORK/out" "$WORK"/a* "$WORK/b"
}
trap cleanup EXIT
p2p --version >/dev/null # builds the jar once, before two nodes would race to
mkdir -p "$WORK/src"
head -c "$((SIZE_MIB * 1024 * 1024))" /dev/urandom >"$WORK/src/big.bin"
sleep 4 # older than FileStamp.SETTLE_NANOS when shared, as a file shared in place usually is
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
node_pid() { pgrep -f -- "--data-dir $WORK/$1 node" | tail -n 1; }
start_node() { # name [bootstrap port]; waits until it is ready, sets REPLY to the JVM's pid
  local port; port=$(free_port)
  # shellcheck disable=SC2086
  P2P_JAVA_OPTS="${P2P_NODE_OPTS:-}" p2p --data-dir "$WORK/$1" node --port "$port" --port-mapping off ${2:+--bootstrap "127.0.0.1:$2"} >"$WORK/$1.out" 2>&1 &
  pids+=($!)
  echo "$port" >"$WORK/$1.port"
  until grep -q '^ready' "$WORK/$1.out" 2>/dev/null; do sleep 0.2; done
  REPLY=$(node_pid "$1"); pids+=("$REPLY") # the JVM itself: the background job is a subshell around bin/p2p
}
seeds=()
for s in $(seq 1 "$SEEDERS"); do
  name=a; [ "$SEEDERS" = 1 ] || name=a$s
  start_node "$name" "${pa:-}"
  seeds+=("$REPLY"); pa=${pa:-$(cat "$WORK/$name.port")}
  link=$(p2p --data-dir "$WORK/$name" share "$WORK/src/big.bin" | tail -n 1)
done
start_node b "$pa"; B=$REPLY
# one seeder: the link names it, as a link someone hands over does; several: the DHT finds them
[ "$SEEDERS" = 1 ] && link="${link%%\?*}?peer=$(grep -o '^node [0-9a-f]*' "$WORK/a.out" | cut -d' ' -f2)@127.0.0.1:$pa"
get() { rm -rf "$WORK/out"; sync; p2p --data-dir "$WORK/b" get "$link" -o "$WORK/out" --no-share >/dev/null 2>&1; }
for _ in $(seq 1 "$WARM"); do get; done
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
wchar() { awk '/^wchar/{print $2}' "/proc/$1/io"; }
syscw() { awk '/^syscw/{print $2}' "/proc/$1/io"; }
syscr() { awk '/^syscr/{print $2}' "/proc/$1/io"; }
switches() { awk '/ctxt_switches/{n += $2} END{print n}' /proc/"$1"/task/*/status 2>/dev/null; } # of all its threads
# jcmd splits its arguments at '=': the agent's options go in double quotes.
for p in "${seeds[@]}" $B; do jcmd "$p" JVMTI.agent_load "$AP_LIB" '"start,event=cpu,interval=997us,threads"' >/dev/null; done
declare -A t0s w0s t1s w1s c0s c1s x0s x1s
for p in "${seeds[@]}" $B; do t0s[$p]=$(ticks "$p"); w0s[$p]=$(wchar "$p"); c0s[$p]=$(syscw "$p"); x0s[$p]=$(switches "$p"); done
uptime_of() { awk -v t="$(getconf CLK_TCK)" -v up="$(cut -d' ' -f1 /proc/uptime)" '{printf "%.2f", up - $22 / t}' "/proc/$1/stat"; }
for p in "${seeds[@]}" $B; do echo "$p start $(uptime_of "$p")" >>"$WORK/window.txt"; done
b0=$(ticks "$B"); r0=$(syscr "$B"); t0=$(date +%s%N)
get
t1=$(date +%s%N)
for p in "${seeds[@]}" $B; do echo "$p end $(uptime_of "$p")" >>"$WORK/window.txt"; done
b1=$(ticks "$B"); r1=$(syscr "$B"); a=0
tck=$(getconf CLK_TCK)
for p in "${seeds[@]}" $B; do t1s[$p]=$(ticks "$p"); w1s[$p]=$(wchar "$p"); c1s[$p]=$(syscw "$p"); x1s[$p]=$(switches "$p"); done
for p in "${seeds[@]}"; do
  d=$((t1s[$p] - t0s[$p])); a=$((a + d))
  jcmd "$p" JVMTI.agent_load "$AP_LIB" "\"stop,file=$WORK/seed-$p.collapsed,collapsed\"" >/dev/null
  awk -v d="$d" -v t="$tck" -v w=$((w1s[$p] - w0s[$p])) -v c=$((c1s[$p] - c0s[$p])) -v x=$((x1s[$p] - x0s[$p])) -v p="$p" \
      'BEGIN{printf "seeder %s: %.2f CPU-s, wrote %.1f MiB in %d write calls, %d context switches\n", p, d/t, w/1048576, c, x}' >>"$WORK/seeders.txt"
done
cat "$WORK"/seed-*.collapsed >"$WORK/seed.collapsed"
jcmd "$B" JVMTI.agent_load "$AP_LIB" "\"stop,file=$WORK/get.collapsed,collapsed\"" >/dev/null
cmp "$WORK/src/big.bin" "$WORK/out/big.bin"
echo "$SIZE_MIB MiB from $SEEDERS seeder(s) after $WARM warm gets, commit $(git -C "$root" rev-parse --short HEAD), load $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v a="$t0" -v b="$t1" 'BEGIN{printf "get: %.2f s\n", (b-a)/1e9}'
awk -v s="$a" -v d=$((b1 - b0)) -v t="$tck" 'BEGIN{printf "CPU: seeder node(s) %.2f s, downloading node %.2f s\n", s/t, d/t}'
cat "$WORK/seeders.txt"
echo "downloader: $((r1 - r0)) read calls, $((c1s[$B] - c0s[$B])) write calls, $((x1s[$B] - x0s[$B])) context switches"
python3 "$root/bench/transfer/buckets.py" "$WORK/seed.collapsed" "$WORK/get.collapsed"
echo "stacks: $WORK/seed.collapsed $WORK/get.collapsed"
