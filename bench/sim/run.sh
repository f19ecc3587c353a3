#!/bin/sh
# Simulator benchmark with the machine's speed measured in the same run: the machine probe, the
# scenario (default bench-10k-1h) through simulator/bin/sim, the probe again. This machine's
# speed swings by more than 1.5x within an hour, so a wall time alone says little; the figure to
# compare between runs is each event's cost in dependent memory reads at the probe's latency.
#   bench/sim/run.sh [SCENARIO [OUT_DIR]]      (from the repository root)
set -e
SCENARIO=${1:-simulator/scenarios/bench-10k-1h.scenario}
OUT=${2:-/tmp/bench-sim}
[ -f bench/target/p2p-bench.jar ] || mvn -B -ntp -q -pl bench -am package -DskipTests
java=$(simulator/bin/sim-java)
probe() { "$java" -Xmx1200m $(simulator/bin/sim-java-opts "$java") -jar bench/target/p2p-bench.jar machine | sed -n 's/^machine: \([0-9.]*\) ns.*SHA-256 \([0-9]*\) MB.*/\1 \2/p'; }
before=$(probe)
mkdir -p "$OUT"
simulator/bin/sim "$SCENARIO" --out "$OUT" 2>&1 | tr '\r' '\n' | grep -E '^(done|sim:|wrote)' | tee "$OUT/bench.log"
after=$(probe)
# The run's own "done: N events in S s wall" (summary.json holds no wall time: it is byte-identical by seed).
done_line=$(grep '^done:' "$OUT/bench.log") || { echo "bench/sim/run.sh: the run did not finish" >&2; exit 1; }
events=$(echo "$done_line" | sed 's/^done: \([0-9,]*\) events.*/\1/' | tr -d ,)
wall=$(echo "$done_line" | sed 's/.* in \([0-9.]*\) s wall.*/\1/')
echo "probe before: $before (ns per read, SHA-256 MB/s); after: $after"
awk -v e="$events" -v w="$wall" -v b="$before" -v a="$after" 'BEGIN {
  split(b, x, " "); split(a, y, " "); read = (x[1] + y[1]) / 2;
  cost = 2 * w / e * 1e9;  # ns of a core per event, two threads
  printf "%d events in %.1f s wall: %.0f ns of a core per event = %.1f dependent reads at %.1f ns\n", e, w, cost, cost / read, read;
  printf "wall / 60 s target = %.2f; 60 s at this read latency would need at most %.1f reads per event\n", w / 60, 2 * 60 / e * 1e9 / read;
}'
