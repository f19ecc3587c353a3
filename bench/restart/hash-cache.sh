#!/usr/bin/env bash
# Node restart time with SIZE GiB shared (default 20), without and with the hash cache, next to
# the time to hash the same bytes with SHA-256 (openssl, which uses the CPU's SHA instructions as
# the JVM does) measured in the same run. Run from the repository
# root after building the launcher (bin/p2p builds it on first use). Usage:
#   bench/restart/hash-cache.sh [SIZE_GIB]
# Needs SIZE GiB free under ${TMPDIR:-/tmp}; the file is random bytes, read from the page cache
# when it fits in memory (as on a node restarted soon after it stopped).
set -euo pipefail
size_gib="${1:-20}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/p2p-hash-cache.XXXXXX")"
trap 'kill "${node_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/library"
echo "writing $size_gib GiB of random bytes..." >&2
head -c "$((size_gib * 1024 * 1024 * 1024))" /dev/urandom > "$work/library/data.bin"
cat "$work/library/data.bin" > /dev/null # into the page cache, as for each run below

now() { date +%s.%N; }
hash_start=$(now)
openssl dgst -sha256 "$work/library/data.bin" > /dev/null
hash_s=$(echo "$(now) - $hash_start" | bc)

# Seconds from starting `p2p node` to its "ready" line (it hashes or looks up its shares first).
restart() {
    local start out
    start=$(now)
    out="$work/node.out"
    "$root/bin/p2p" --data-dir "$work/data" node --port 0 --port-mapping off > "$out" 2>&1 &
    node_pid=$!
    until grep -q '^ready' "$out"; do
        kill -0 "$node_pid" 2>/dev/null || { cat "$out" >&2; exit 1; }
        sleep 0.05
    done
    echo "$(now) - $start" | bc
    grep '^hashed ' "$out" >&2 || true
    kill "$node_pid"
    wait "$node_pid" 2>/dev/null || true
}

"$root/bin/p2p" --data-dir "$work/data" node --port 0 --port-mapping off > "$work/first.out" 2>&1 &
node_pid=$!
until grep -q '^ready' "$work/first.out"; do sleep 0.05; done
"$root/bin/p2p" --data-dir "$work/data" share "$work/library" > /dev/null
kill "$node_pid"; wait "$node_pid" 2>/dev/null || true

rm -f "$work/data/hashes.txt"
without_s=$(restart)
with_s=$(restart)
printf 'shared %d GiB: openssl sha256 %.2f s; node restart without the hash cache %.2f s (%.2fx the hash), with it %.2f s (%.3fx)\n' \
    "$size_gib" "$hash_s" "$without_s" "$(echo "$without_s / $hash_s" | bc -l)" "$with_s" "$(echo "$with_s / $hash_s" | bc -l)"
