#!/usr/bin/env bash
# p2p against libtorrent 2.0 on 127.0.0.1: one seeder process, one downloader process, a random
# file (1 GiB by default), alternated ROUNDS times after a warm-up round (the order flips every
# round). Prints each run, the medians and the speed ratio p2p / libtorrent (> 1: p2p faster), and
# the first (cold) get of each p2p network apart. Run from anywhere.
#
#   bench/transfer/vs-libtorrent.sh                 # 1 seeder each, 3 rounds
#   bench/transfer/vs-libtorrent.sh --seeders 4     # adds p2p from 4 seeders to every round
#   SIZE_MIB=256 ROUNDS=5 WORK=/var/tmp/vs bench/transfer/vs-libtorrent.sh
#
# libtorrent: lt.py (python3-libtorrent), a v2 torrent with 1 MiB pieces (SHA-256 per piece), the
# downloader dials the seeder directly; DHT, LSD, UPnP, NAT-PMP and encryption off. Timed from
# the downloader's start until every piece passed its check and every block is written to the file.
# p2p: `bin/p2p node` seeding (it shares the file in place), `bin/p2p get --no-share` through a
# second running `bin/p2p node`; TLS 1.3 and SHA-256 of every 256 KiB chunk; the download is
# fsynced before `get` exits 0. Timed from `get`'s start until it exits.
# Each run's file is compared with the source (cmp) before it counts. `sync` runs before each
# download, so no run inherits another's writeback. Environment: SIZE_MIB (1024), ROUNDS (3),
# SEEDERS (1; or --seeders N), WARM (1: how many times every seeder serves the file's size before
# timing starts), WORK (a fresh temp dir, removed at the end unless KEEP=1),
# P2P_NODE_OPTS (JVM options for the p2p nodes only, e.g. a profiler agent).
# aria2 is not a second reference here: 1.36 (Debian 12) reads no BitTorrent v2 torrent and has no
# way to be told which peer to dial without a tracker.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SEEDERS=${SEEDERS:-1}
while [ $# -gt 0 ]; do
  case "$1" in
    --seeders) SEEDERS=$2; shift 2 ;;
    --seeders=*) SEEDERS=${1#*=}; shift ;;
    *) echo "usage: $0 [--seeders N]   (env: SIZE_MIB ROUNDS WARM WORK KEEP P2P_NODE_OPTS)" >&2; exit 2 ;;
  esac
done
SIZE_MIB=${SIZE_MIB:-1024}
ROUNDS=${ROUNDS:-3}
WARM=${WARM:-1}
for v in SEEDERS SIZE_MIB ROUNDS WARM; do
  case ${!v} in '' | *[!0-9]* | 0*) echo "$v must be a positive whole number, not '${!v}'" >&2; exit 2 ;; esac
done

# --- what is needed, and how to get it (nothing is installed here) ---
py=""
for c in python3 /usr/bin/python3; do
  if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import libtorrent' 2>/dev/null; then py=$c; break; fi
done
missing=0
if [ -z "$py" ]; then
  echo "missing: python3-libtorrent (libtorrent 2.0 for python3): apt-get install python3-libtorrent" >&2
  missing=1
fi
for t in java mvn cmp sha256sum; do
  command -v "$t" >/dev/null || { echo "missing: $t" >&2; missing=1; }
done
[ "$missing" = 0 ] || exit 3
if "$py" -c 'import libtorrent, sys; sys.exit(0 if libtorrent.__version__.startswith("2.") else 1)'; then :; else
  echo "warning: libtorrent $("$py" -c 'import libtorrent; print(libtorrent.__version__)') is not 2.x" >&2
fi

# --- work dir, processes, cleanup ---
WORK=${WORK:-$(mktemp -d /tmp/vs-libtorrent.XXXXXX)}
mkdir -p "$WORK"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  [ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "building the p2p jar if stale..." >&2
"$root/bin/p2p" --version >/dev/null
p2p() { "$root/bin/p2p" "$@"; }

free_port() { "$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now_ns() { date +%s%N; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # utime + stime of a process
tck=$(getconf CLK_TCK)

src="$WORK/src/bench.bin"
mkdir -p "$WORK/src"
echo "making $SIZE_MIB MiB of random bytes in $src..." >&2
head -c "$((SIZE_MIB * 1024 * 1024))" /dev/urandom >"$src"
bytes=$(stat -c %s "$src")

# --- libtorrent seeder ---
"$py" "$root/bench/transfer/lt.py" torrent "$src" "$WORK/bench.torrent"
lt_port=$(free_port)
"$py" "$root/bench/transfer/lt.py" seed "$WORK/bench.torrent" "$WORK/src" "$lt_port" >"$WORK/lt-seed.out" 2>&1 &
lt_seed=$!; pids+=("$lt_seed")
until grep -q ready "$WORK/lt-seed.out" 2>/dev/null; do
  kill -0 "$lt_seed" 2>/dev/null || { cat "$WORK/lt-seed.out" >&2; echo "libtorrent seeder died" >&2; exit 1; }
  sleep 0.1
done

# --- p2p nodes: one network per seeder count, so a 1-seeder download cannot find the others ---
# Starts a node on a free port and waits until it says it is ready; sets REPLY to its pid.
start_node() { # dir [bootstrap host:port]
  local dir=$1 port; port=$(free_port)
  mkdir -p "$dir"
  # shellcheck disable=SC2086
  P2P_JAVA_OPTS="${P2P_NODE_OPTS:-}" "$root/bin/p2p" --data-dir "$dir" node --port "$port" --port-mapping off \
      ${2:+--bootstrap "$2"} >"$dir/node.out" 2>&1 &
  REPLY=$!; pids+=("$REPLY")
  echo "$port" >"$dir/port"
  local i
  for i in $(seq 1 300); do
    grep -q '^ready' "$dir/node.out" 2>/dev/null && return 0
    kill -0 "$REPLY" 2>/dev/null || break
    sleep 0.2
  done
  cat "$dir/node.out" >&2; echo "p2p node in $dir did not start" >&2; exit 1
}
declare -A link dl_pid seed_pids
networks=(1)
[ "$SEEDERS" != 1 ] && networks+=("$SEEDERS")
for n in "${networks[@]}"; do
  first=""
  seed_pids[$n]=""
  for s in $(seq 1 "$n"); do
    start_node "$WORK/p2p-net$n-seed$s" "$first"
    seed_pids[$n]="${seed_pids[$n]} $REPLY"
    [ -n "$first" ] || first="127.0.0.1:$(cat "$WORK/p2p-net$n-seed$s/port")"
    link[$n]=$(p2p --data-dir "$WORK/p2p-net$n-seed$s" share "$src" | tail -n 1)
  done
  start_node "$WORK/p2p-net$n-get" "$first"
  dl_pid[$n]=$REPLY
done

# --- one timed download; prints "seconds" and leaves the file checked ---
declare -A times cpu_seed cpu_get
run_lt() {
  local out="$WORK/lt-out"; rm -rf "$out"; mkdir -p "$out"; sync
  local c0 t0 t1; c0=$(cpu_ticks "$lt_seed"); t0=$(now_ns)
  /usr/bin/env time -f '%U %S' -o "$WORK/lt-get.cpu" "$py" "$root/bench/transfer/lt.py" get \
      "$WORK/bench.torrent" "$out" "$lt_port"
  t1=$(now_ns)
  cmp "$src" "$out/bench.bin"
  RUN_SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", (b-a)/1e9}')
  RUN_CPU_SEED=$(awk -v a="$c0" -v b="$(cpu_ticks "$lt_seed")" -v t="$tck" 'BEGIN{printf "%.1f", (b-a)/t}')
  RUN_CPU_GET=$(awk '{printf "%.1f", $1 + $2}' "$WORK/lt-get.cpu")
  rm -rf "$out"
}
run_p2p() { # network (seeder count)
  local n=$1 dir="$WORK/p2p-net$1-get" out="$WORK/p2p-out"; rm -rf "$out"; mkdir -p "$out"; sync
  local s c0=0 c1=0 g0 t0 t1
  for s in ${seed_pids[$n]}; do c0=$((c0 + $(cpu_ticks "$s"))); done
  g0=$(cpu_ticks "${dl_pid[$n]}"); t0=$(now_ns)
  p2p --data-dir "$dir" get "${link[$n]}" -o "$out" --no-share >/dev/null 2>"$WORK/get.err" \
      || { cat "$WORK/get.err" >&2; exit 1; }
  t1=$(now_ns)
  for s in ${seed_pids[$n]}; do c1=$((c1 + $(cpu_ticks "$s"))); done
  cmp "$src" "$out/bench.bin"
  RUN_SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", (b-a)/1e9}')
  RUN_CPU_SEED=$(awk -v a="$c0" -v b="$c1" -v t="$tck" 'BEGIN{printf "%.1f", (b-a)/t}')
  RUN_CPU_GET=$(awk -v a="$g0" -v b="$(cpu_ticks "${dl_pid[$n]}")" -v t="$tck" 'BEGIN{printf "%.1f", (b-a)/t}')
  rm -rf "$out"
}

tools=(lt p2p1)
[ "$SEEDERS" != 1 ] && tools+=("p2p$SEEDERS")
label() {
  case $1 in
    lt) echo "libtorrent -> libtorrent" ;;
    p2p*) echo "p2p x${1#p2p} -> p2p get" ;;
  esac
}
mbps() { awk -v b="$bytes" -v s="$1" 'BEGIN{printf "%.1f", b/s/1e6}'; }

echo "$SIZE_MIB MiB, $ROUNDS rounds, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), commit $(git -C "$root" rev-parse --short HEAD)"
printf '%-5s %-26s %8s %9s %12s %14s\n' round run seconds MB/s "seeder CPU-s" "downloader CPU-s"
# Round 0 warms up both sides (the JIT of the p2p JVMs, libtorrent's page cache use) and is not
# counted. The JIT warms up per JVM and by the bytes that JVM moved: each of N seeders serves a
# quarter of a get from 4, so the N-seeder network gets N x WARM warm-up gets, and every seeder has
# served the file's size WARM times before timing starts, as the single seeder has after its WARM.
# The first get of each network (fresh nodes, nothing compiled) is printed apart, as the cold figure.
declare -A cold
for r in $(seq 0 "$ROUNDS"); do
  order=("${tools[@]}")
  if [ $((r % 2)) = 1 ]; then # reverse order every other round
    order=(); for ((i = ${#tools[@]} - 1; i >= 0; i--)); do order+=("${tools[$i]}"); done
  fi
  for t in "${order[@]}"; do
    if [ "$r" = 0 ]; then
      warm=$WARM; [ "$t" = lt ] || warm=$((WARM * ${t#p2p}))
      for _ in $(seq 1 "$warm"); do
        case $t in
          lt) run_lt ;;
          p2p*) run_p2p "${t#p2p}" ;;
        esac
        [ -n "${cold[$t]:-}" ] || cold[$t]=$RUN_SECS
        printf '%-5s %-26s %8s %9s %12s %14s\n' warm "$(label "$t")" "$RUN_SECS" "$(mbps "$RUN_SECS")" "$RUN_CPU_SEED" "$RUN_CPU_GET"
      done
      continue
    fi
    case $t in
      lt) run_lt ;;
      p2p*) run_p2p "${t#p2p}" ;;
    esac
    times[$t]="${times[$t]:-} $RUN_SECS"
    cpu_seed[$t]="${cpu_seed[$t]:-} $RUN_CPU_SEED"
    cpu_get[$t]="${cpu_get[$t]:-} $RUN_CPU_GET"
    printf '%-5s %-26s %8s %9s %12s %14s\n' "$r" "$(label "$t")" "$RUN_SECS" "$(mbps "$RUN_SECS")" \
        "$RUN_CPU_SEED" "$RUN_CPU_GET"
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END{if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }
echo
echo "medians:"
declare -A med
for t in "${tools[@]}"; do
  med[$t]=$(echo "${times[$t]}" | median)
  printf '  %-26s %8s s %9s MB/s   seeder %s CPU-s, downloader %s CPU-s\n' "$(label "$t")" "${med[$t]}" \
      "$(mbps "${med[$t]}")" "$(echo "${cpu_seed[$t]}" | median)" "$(echo "${cpu_get[$t]}" | median)"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", b/a}'; } # speed of a over speed of b
echo "ratio p2p / libtorrent (speed, > 1: p2p faster): $(ratio "${med[p2p1]}" "${med[lt]}")x"
if [ "$SEEDERS" != 1 ]; then
  echo "ratio p2p $SEEDERS seeders / p2p 1 seeder (speed): $(ratio "${med[p2p$SEEDERS]}" "${med[p2p1]}")x"
  hwm=$(awk '/VmHWM/{print $2}' "/proc/${dl_pid[$SEEDERS]}/status")
  echo "peak RSS of the downloading node (only $SEEDERS-seeder downloads, $((ROUNDS + SEEDERS * WARM)) x $SIZE_MIB MiB): $((hwm / 1024)) MiB"
fi
for t in "${tools[@]}"; do
  [ "$t" = lt ] && continue
  printf 'first get from fresh nodes (cold JIT), %s: %s s, %s MB/s\n' "$(label "$t")" "${cold[$t]}" "$(mbps "${cold[$t]}")"
done
