# The JVM options for one p2p command line, shared by bin/p2p in the source tree and in the release
# archive (POSIX sh, sourced). docs/BENCHMARKS-transfer.md has the measurements behind them.
#
#   p2p_jvm_options "$@"    prints the options for the command line "$@"

# A command that runs a node (node, demo; get, share and peers when no node runs on the data
# directory) moves gigabytes through TLS and SHA-256 and wants C2. Its heap holds little for long
# (the collector's threads used 0.02 CPU-s per GiB moved under G1), so the serial collector serves
# it, at the same CPU per GiB and 0.6 to 0.7 of G1's peak RSS. A node's first gigabytes are slow
# while C2 compiles the TLS and transfer code; on fewer than 4 CPUs the JVM starts one C2 thread,
# whose queue then runs seconds behind, so a second one is added. And C2 does not bet on the
# branches and receiver types it has profiled (PerMethodTrapLimit=0): a new connection's handshake
# takes paths a bulk transfer never does, and with those bets it threw away the transfer code
# compiled during the last download, at the start of every download. The TLS and transfer path
# (p2p_transfer_jit) compiles after a quarter of the JVM's usual call counts: its code runs once
# per 16 KiB record and once per 256 KiB chunk, so with the defaults C2 reached the per-chunk
# code only after gigabytes, and a node serving a share of each download (one of 4 seeders) still
# compiled it in its fourth download, on the cores the transfer needs. Start-up code keeps the
# usual counts (a node's start costs the same CPU). And C2 calls a callee it has already compiled
# to over 500 bytes instead of inlining it again (InlineSmallCode, 2500 by default): the send
# path (TLS wrap, flush) was compiled anew into each of five per-chunk callers, tens of KB each.
# C2 inlines a hot callee of up to 100 bytecodes, not 325 (FreqInlineSize): a transfer's bytes
# are moved by the JDK's AES-GCM, SHA-256 and copy stubs, not by the Java around them, while
# C2's biggest tasks were that Java inlined whole (the GCM record encryption, TransferHost.input
# with the transfer core, 35 to 39 KB of code each) and took most of a fresh node's CPU: the
# first 1 GiB from 4 fresh seeders took 8.1 s instead of 10.2 s, warm gets the same within 2 %,
# and a node's peak RSS is 25 to 40 MiB lower.
#
# A node's young generation is 24 MiB (-Xmn24m; a third of the initial heap, about 128 MiB, by
# default). A node's heap holds little for long and its garbage is the TLS engine's per-record
# objects, about 130 MB per GiB sent: with the default eden a seeder serving a quarter of each
# download (one of 4) reached its first collections only in its third and fourth gigabyte, and on
# a virtual machine the first touch of eden's pages and the first promotion into fresh old-space
# pages cost it about 60 ms of CPU per get then; a node with a small eden pays that in its first
# seconds. Peak RSS falls too (240 against 333 MiB after three 1 GiB downloads from 4 seeders).
#
# Any other command is a client of a running node, or reads a file, for under a second: C2 would
# only compile its start-up code, on the cores the node is downloading with, and G1 would start
# threads it never uses. With C1 alone and the serial collector a `p2p get` through a node uses
# about 0.7 of the CPU, and reaches the node sooner.
p2p_jvm_options() {
    p2p_command=""
    p2p_data_dir="${XDG_DATA_HOME:-}"
    case "$p2p_data_dir" in
        /*) p2p_data_dir="$p2p_data_dir/p2p" ;;
        *) p2p_data_dir="${HOME:-}/.local/share/p2p" ;;
    esac
    while [ $# -gt 0 ]; do
        case "$1" in
            --data-dir) [ $# -gt 1 ] && { p2p_data_dir="$2"; shift; } ;;
            --data-dir=*) p2p_data_dir="${1#--data-dir=}" ;;
            --config) [ $# -gt 1 ] && shift ;;
            -*) ;;
            *) [ -z "$p2p_command" ] && p2p_command="$1" ;;
        esac
        shift
    done
    case "$p2p_command" in
        node | demo) p2p_node_jvm ;;
        get | share | peers) if p2p_node_runs "$p2p_data_dir"; then p2p_client_jit; else p2p_node_jvm; fi ;;
        sim) p2p_c2 ;; # a heap of gigabytes: the JVM's own collector choice (bin/p2p in the source tree has its own)
        *) p2p_client_jit ;;
    esac
}

p2p_node_jvm() {
    echo "$(p2p_c2) $(p2p_transfer_jit) $(p2p_gc) $(p2p_node_young)"
}

# The node's young generation, unless P2P_JAVA_OPTS sizes it.
p2p_node_young() {
    case "${P2P_JAVA_OPTS:-}" in
        *-Xmn* | *NewSize*) ;;
        *) echo "-Xmn24m" ;;
    esac
}

p2p_c2() {
    if [ "$(nproc 2>/dev/null || echo 4)" -lt 4 ]; then
        echo "-XX:PerMethodTrapLimit=0 -XX:CICompilerCount=3"
    else
        echo "-XX:PerMethodTrapLimit=0"
    fi
}

# The packages a transfer's bytes go through (TLS record layer, AES-GCM, Netty, socket and file
# channels, the transfer code): their methods reach C1 and C2 at a quarter of the call counts;
# big compiled callees are called, not inlined again.
# quiet: the JVM would print a line per CompileCommand.
p2p_transfer_jit() {
    printf '%s' "-XX:InlineSmallCode=500 -XX:FreqInlineSize=100 -XX:CompileCommand=quiet"
    for p2p_pkg in dev.p2p.transfer io.netty sun.security.ssl com.sun.crypto.provider javax.crypto sun.nio.ch; do
        printf ' %s' "-XX:CompileCommand=CompileThresholdScaling,$p2p_pkg.*::*,0.25"
    done
}

p2p_client_jit() {
    echo "-XX:TieredStopAtLevel=1 $(p2p_gc)"
}

# The serial collector, unless P2P_JAVA_OPTS picks one (the JVM refuses to start with two).
p2p_gc() {
    case "${P2P_JAVA_OPTS:-}" in
        *-XX:+Use*GC*) ;;
        *) echo "-XX:+UseSerialGC" ;;
    esac
}

# True when node.json in the data directory names a live process (as the CLI's ControlFiles reads it).
p2p_node_runs() {
    [ -f "$1/node.json" ] || return 1
    p2p_pid="$(sed -n 's/.*"pid"[[:space:]]*:[[:space:]]*\([0-9][0-9]*\).*/\1/p' "$1/node.json" 2>/dev/null | head -n 1)"
    [ -n "$p2p_pid" ] && kill -0 "$p2p_pid" 2>/dev/null
}
