#!/usr/bin/env bash
# Benchmark across the test bed (run by hand, as root; docs/BENCHMARKS.md): 6 hosts, optional
# added latency on every link (netem, when the kernel has it), then
#   - lookup latency p50/p99 from one host, next to the RTT measured in the same run;
#   - a download of SIZE_MIB (default 256) from two seeders, next to the raw TCP copy rate from
#     the same two hosts to the same downloader, measured in the same run.
#   testbed/bench.sh [DELAY_MS_EACH_WAY] [SIZE_MIB]
set -euo pipefail
cd "$(dirname "$0")/.."
DELAY=${1:-20}
SIZE_MIB=${2:-256}
JAR=$PWD/p2p-cli/target/p2p.jar
[[ -f $JAR ]] || mvn -B -ntp -q -pl p2p-cli -am package -DskipTests
T="testbed/netns.sh -b bench"
WORK=$(mktemp -d /tmp/p2p-bench.XXXXXX)
JAVA="java -Xmx512m"
cleanup() { $T destroy || true; rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

$T create 6 0 >/dev/null
if ((DELAY > 0)); then
    if $T delay "$DELAY" 2>/dev/null; then
        echo "added latency: $DELAY ms each way on every link (netem)"
    else
        echo "added latency: none (this kernel has no sch_netem); links are plain veth"
        DELAY=0
    fi
fi
node() { # HOST [--bootstrap ...]
    local h=$1
    shift
    $T exec "$h" $JAVA -jar "$JAR" --data-dir "$WORK/$h" node --port 24100 "$@" >"$WORK/$h.log" 2>&1 &
}
wait_ready() { for _ in $(seq 1 120); do grep -q '^ready' "$WORK/$1.log" 2>/dev/null && return; sleep 0.5; done; cat "$WORK/$1.log"; exit 1; }
node h1
wait_ready h1
for h in h2 h3 h4 h5 h6; do node "$h" --bootstrap 10.77.1.1:24100; done
for h in h2 h3 h4 h5 h6; do wait_ready "$h"; done

echo "== lookups from h6"
$T exec h6 $JAVA -cp "$JAR" testbed/LookupBench.java 10.77.1.1:24100 300

echo "== raw TCP, h2 + h3 -> h4, $SIZE_MIB MiB in all"
$T exec h4 $JAVA testbed/TcpCopy.java receive 9000 2 >"$WORK/raw.txt" &
receiver=$!
for _ in $(seq 1 60); do grep -q listening "$WORK/raw.txt" && break; sleep 0.5; done
half=$((SIZE_MIB * 1024 * 1024 / 2))
$T exec h2 $JAVA testbed/TcpCopy.java send 10.77.4.1 9000 $half &
s2=$!
$T exec h3 $JAVA testbed/TcpCopy.java send 10.77.4.1 9000 $half &
s3=$!
wait $s2 $s3 $receiver
grep raw "$WORK/raw.txt"

echo "== download of $SIZE_MIB MiB on h4 from seeders h2 and h3"
head -c $((SIZE_MIB * 1024 * 1024)) /dev/urandom >"$WORK/big.bin"
link=""
for h in h2 h3; do
    link=$($T exec "$h" $JAVA -jar "$JAR" --data-dir "$WORK/$h" share "$WORK/big.bin" | tail -1)
done
link=${link%%\?*}
start=$(date +%s.%N)
$T exec h4 $JAVA -jar "$JAR" --data-dir "$WORK/h4" get "$link" -o "$WORK/out" --timeout 60s | tail -1
end=$(date +%s.%N)
cmp "$WORK/big.bin" "$WORK/out/big.bin" && echo "byte-identical"
awk -v s="$start" -v e="$end" -v m="$SIZE_MIB" 'BEGIN { printf "p2p get: %d MiB in %.2f s = %.1f MB/s (including the provider lookup)\n", m, e - s, m * 1048576 / (e - s) / 1e6 }'
$T exec h4 $JAVA -jar "$JAR" --data-dir "$WORK/h4" stats | grep -E 'download|lookups|providers'
