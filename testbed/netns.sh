#!/usr/bin/env bash
# A test bed of "hosts" on one machine: Linux network namespaces on a virtual switch, some of
# them behind NAT routers. Needs root and iproute2 (and iptables or nft for NAT).
# Everything it makes is named after the bed (default "p2ptb") and every address lives only in
# namespaces it made: public hosts 10.77.I.1/16 on the switch, NAT router J 10.77.(100+J).1/16
# on the switch and 10.78.J.1/24 on its private side, NATed host J 10.78.J.2/24.
#
#   testbed/netns.sh [-b BED] create H [N [S]]   H public hosts h1..hH and N NATed hosts n1..nN,
#                                            the last S of them behind symmetric (port-randomizing) NATs
#   testbed/netns.sh [-b BED] destroy        kills what runs inside and removes everything
#   testbed/netns.sh [-b BED] exec HOST CMD...   runs CMD inside HOST (h3, n1, r1, sw)
#   testbed/netns.sh [-b BED] addr HOST      the host's address as others dial it
#   testbed/netns.sh [-b BED] link HOST up|down   plugs or unplugs the host's cable at the switch
#   testbed/netns.sh [-b BED] split HOST...  moves these hosts to a second switch: two halves
#   testbed/netns.sh [-b BED] heal           puts every host back on one switch
#   testbed/netns.sh [-b BED] delay MS [JITTER_MS]   netem delay on every switch port (each way)
#   testbed/netns.sh [-b BED] session H N -- CMD...  create, run CMD, destroy (also on Ctrl-C)
#   testbed/netns.sh [-b BED] list           the bed's namespaces
# See docs/TESTBED.md.
set -euo pipefail

BED=${P2P_TESTBED:-p2ptb}
if [[ ${1:-} == -b ]]; then
    BED=$2
    shift 2
fi
[[ $BED =~ ^[a-z0-9]{1,8}$ ]] || { echo "netns.sh: bed name must be 1-8 of [a-z0-9]" >&2; exit 2; }
SW=$BED-sw

die() { echo "netns.sh: $*" >&2; exit 1; }
ns() { echo "$BED-$1"; }
q() { "$@" >/dev/null 2>&1 || true; }

need_tools() {
    [[ $(id -u) == 0 ]] || die "needs root (network namespaces)"
    command -v ip >/dev/null || die "needs iproute2 (apt-get install iproute2)"
}

nat_tool() {
    if command -v nft >/dev/null; then echo nft
    elif command -v iptables >/dev/null; then echo iptables
    else die "NAT needs nftables or iptables (apt-get install nftables)"; fi
}

list() {
    ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^$BED-(sw|h[0-9]+|n[0-9]+|r[0-9]+)$" || true
}

destroy() {
    local n
    for n in $(list); do
        # kill what runs inside first, or the namespace lingers as long as its processes
        for pid in $(ip netns pids "$n" 2>/dev/null); do q kill -TERM "$pid"; done
    done
    sleep 0.3
    for n in $(list); do
        for pid in $(ip netns pids "$n" 2>/dev/null); do q kill -KILL "$pid"; done
        q ip netns del "$n"
    done
}

# a host's cable: the switch side is named after the host, the host side eth0
plug() { # HOST_NS PORT_NAME ADDR/PREFIX
    ip -n "$SW" link add "$2" type veth peer name eth0 netns "$1"
    ip -n "$SW" link set "$2" master br0 up
    ip -n "$1" addr add "$3" dev eth0
    ip -n "$1" link set eth0 up
}

create() {
    local hosts=$1 nats=${2:-0} sym=${3:-0} i
    [[ $hosts =~ ^[0-9]+$ && $nats =~ ^[0-9]+$ && $sym =~ ^[0-9]+$ && $hosts -ge 1 && $hosts -le 60 && $nats -le 20 && $sym -le $nats ]] \
        || die "create H [N [S]]: 1 <= H <= 60 public hosts, N <= 20 NATed hosts, the last S of them behind symmetric NATs"
    destroy
    trap 'destroy' ERR
    ip netns add "$SW"
    ip -n "$SW" link set lo up
    ip -n "$SW" link add br0 type bridge
    ip -n "$SW" link add br1 type bridge
    ip -n "$SW" link set br0 up
    ip -n "$SW" link set br1 up
    for ((i = 1; i <= hosts; i++)); do
        ip netns add "$(ns h$i)"
        ip -n "$(ns h$i)" link set lo up
        plug "$(ns h$i)" "h$i" "10.77.$i.1/16"
    done
    local tool=""
    ((nats == 0)) || tool=$(nat_tool)
    for ((i = 1; i <= nats; i++)); do
        local r n
        r=$(ns r$i) n=$(ns n$i)
        ip netns add "$r"
        ip netns add "$n"
        ip -n "$r" link set lo up
        ip -n "$n" link set lo up
        plug "$r" "r$i" "10.77.$((100 + i)).1/16"
        ip -n "$r" link add lan type veth peer name eth0 netns "$n"
        ip -n "$r" addr add "10.78.$i.1/24" dev lan
        ip -n "$r" link set lan up
        ip -n "$n" addr add "10.78.$i.2/24" dev eth0
        ip -n "$n" link set eth0 up
        ip -n "$n" route add default via "10.78.$i.1"
        ip netns exec "$r" sysctl -qw net.ipv4.ip_forward=1
        # the last SYM routers give every connection a random port (a symmetric NAT, as far as
        # peers can tell); the others keep ports where they can (port-restricted cone)
        local flags=""
        ((i > nats - sym)) && flags="fully-random"
        if [[ $tool == nft ]]; then
            ip netns exec "$r" nft -f - <<EOF
table ip nat {
    chain postrouting { type nat hook postrouting priority srcnat; oifname "eth0" masquerade $flags; }
}
table ip filter {
    chain forward {
        type filter hook forward priority filter; policy drop;
        ct state established,related accept
        iifname "lan" oifname "eth0" accept
    }
    chain input {
        type filter hook input priority filter; policy drop;
        ct state established,related accept
        iifname { "lo", "lan" } accept
    }
}
EOF
        else
            ip netns exec "$r" iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE ${flags:+--random-fully}
            ip netns exec "$r" iptables -P FORWARD DROP
            ip netns exec "$r" iptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
            ip netns exec "$r" iptables -A FORWARD -i lan -o eth0 -j ACCEPT
            ip netns exec "$r" iptables -P INPUT DROP
            ip netns exec "$r" iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
            ip netns exec "$r" iptables -A INPUT -i lo -j ACCEPT
            ip netns exec "$r" iptables -A INPUT -i lan -j ACCEPT
        fi
    done
    trap - ERR
}

addr() {
    case $1 in
        h*) echo "10.77.${1#h}.1" ;;
        n*) echo "10.77.$((100 + ${1#n})).1" ;; # as others see it: its router's public address
        r*) echo "10.77.$((100 + ${1#r})).1" ;;
        *) die "no such host: $1" ;;
    esac
}

port_of() { # the switch port a host hangs on: a NATed host's is its router's
    case $1 in
        h*) echo "$1" ;;
        n*) echo "r${1#n}" ;;
        r*) echo "$1" ;;
        *) die "no such host: $1" ;;
    esac
}

cmd=${1:-}
shift || true
case $cmd in
    create) need_tools; create "$@"; list ;;
    destroy) need_tools; destroy ;;
    list) list ;;
    addr) addr "$1" ;;
    exec)
        host=$1
        shift
        exec ip netns exec "$(ns "$host")" "$@"
        ;;
    link)
        [[ ${2:-} == up || ${2:-} == down ]] || die "link HOST up|down"
        ip -n "$SW" link set "$(port_of "$1")" "$2"
        ;;
    split)
        for h in "$@"; do ip -n "$SW" link set "$(port_of "$h")" master br1; done
        ;;
    heal)
        for p in $(ip -n "$SW" -o link show master br1 | awk -F'[ :@]+' '{print $2}'); do
            ip -n "$SW" link set "$p" master br0
        done
        ;;
    delay)
        ms=$1 jitter=${2:-0}
        for p in $(ip -n "$SW" -o link show master br0 | awk -F'[ :@]+' '{print $2}') \
                 $(ip -n "$SW" -o link show master br1 | awk -F'[ :@]+' '{print $2}'); do
            if ((ms == 0)); then
                q ip netns exec "$SW" tc qdisc del dev "$p" root
            else
                ip netns exec "$SW" tc qdisc replace dev "$p" root netem delay "${ms}ms" "${jitter}ms"
            fi
        done
        # the switch delays frames leaving towards each host: each way of a host-to-host path
        # crosses one delayed port, so the round trip between two hosts is 2 x MS
        ;;
    session)
        need_tools
        hosts=$1 nats=$2 sym=0
        shift 2
        [[ ${1:-} =~ ^[0-9]+$ ]] && { sym=$1; shift; }
        [[ ${1:-} == -- ]] && shift
        trap 'destroy' EXIT
        trap 'exit 130' INT
        trap 'exit 143' TERM
        create "$hosts" "$nats" "$sym"
        "$@"
        ;;
    *)
        sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' >&2
        exit 2
        ;;
esac
