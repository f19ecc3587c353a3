#!/usr/bin/env bash
# A test bed of "hosts" on one machine: Linux network namespaces on a virtual switch, some of
# them behind NAT routers. Needs root and iproute2 (and iptables or nft for NAT).
# Everything it makes is named after the bed (default "p2ptb") and every address lives only in
# namespaces it made: public hosts 10.77.I.1/16 and fd77::I/64 on the switch, NAT router J 10.77.(100+J).1/16
# on the switch and 10.78.J.1/24 on its private side, NATed host J 10.78.J.2/24.
#
#   testbed/netns.sh [-b BED] create H [N [S]]   H public hosts h1..hH and N NATed hosts n1..nN,
#                                            the last S of them behind symmetric (port-randomizing) NATs
#   testbed/netns.sh [-b BED] destroy        kills what runs inside and removes everything
#   testbed/netns.sh [-b BED] exec HOST CMD...   runs CMD inside HOST (h3, n1, r1, sw)
#   testbed/netns.sh [-b BED] addr HOST      the host's address as others dial it
#   testbed/netns.sh [-b BED] addr6 HOST     a public host's IPv6 address (fd77::I)
#   testbed/netns.sh [-b BED] link HOST up|down   plugs or unplugs the host's cable at the switch
#   testbed/netns.sh [-b BED] split HOST...  moves these hosts to a second switch: two halves
#   testbed/netns.sh [-b BED] heal           puts every host back on one switch
#   testbed/netns.sh [-b BED] delay MS [JITTER_MS]   netem delay on every switch port (each way)
#   testbed/netns.sh [-b BED] session H N -- CMD...  create, run CMD, destroy (also on Ctrl-C)
#   testbed/netns.sh [-b BED] list           the bed's namespaces
#   testbed/netns.sh [-b BED] upnp J         router rJ also answers UPnP IGD and NAT-PMP/PCP (miniupnpd)
#                                            and forwards the ports its host maps, as 11.77.J.1
#                                            (miniupnpd refuses a private WAN address) or 10.77.(100+J).1
#   testbed/netns.sh [-b BED] mappings J     the port forwards router rJ holds now (one per line)
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
    rm -rf /tmp/netns-"$BED"-r*
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
        ip -n "$(ns h$i)" addr add "fd77::$i/64" dev eth0 nodad # IPv6 too (addr6), usable at once
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

# A home router that answers port-mapping requests: miniupnpd (UPnP IGD, NAT-PMP and PCP) on
# router J, with the same NAT and filtering as create's routers plus the chains miniupnpd fills
# (a forward on the WAN side, an accept for it in the filter). Its files live in upnp_dir.
upnp_dir() { echo "/tmp/netns-$BED-r$1"; }
wan_addr() { echo "11.77.$1.1"; } # not a private or reserved range, which miniupnpd refuses

upnp() {
    local j=$1 r dir
    [[ $j =~ ^[0-9]+$ ]] || die "upnp J: J is a router's number"
    r=$(ns r$j) dir=$(upnp_dir "$j")
    ip netns list | awk '{print $1}' | grep -qx "$r" || die "no router r$j in bed $BED"
    command -v miniupnpd >/dev/null || die "needs miniupnpd (apt-get install miniupnpd)"
    command -v nft >/dev/null || die "miniupnpd here needs nftables (apt-get install nftables)"
    rm -rf "$dir" && mkdir -p "$dir"
    # miniupnpd maps nothing for a router whose WAN address is private (10.77.x): the router gets
    # wan_addr first, and every host on the switch a route to it. The address exists only inside
    # this bed's namespaces; peers still see the router's packets come from 10.77.(100+J).1.
    local wan n
    wan=$(wan_addr "$j")
    ip -n "$r" addr flush dev eth0
    ip -n "$r" addr add "$wan/32" dev eth0
    ip -n "$r" addr add "10.77.$((100 + j)).1/16" dev eth0
    for n in $(list); do
        [[ $n =~ ^$BED-(h[0-9]+|r[0-9]+)$ && $n != "$r" ]] && ip -n "$n" route replace "$wan/32" dev eth0
    done
    ip netns exec "$r" nft -f - <<EOF
flush ruleset
table inet filter {
    chain forward {
        type filter hook forward priority filter; policy drop;
        ct state established,related accept
        iifname "lan" oifname "eth0" accept
        jump miniupnpd
    }
    chain miniupnpd {
    }
    chain input {
        type filter hook input priority filter; policy drop;
        ct state established,related accept
        iifname { "lo", "lan" } accept
    }
}
table inet nat {
    chain prerouting {
        type nat hook prerouting priority dstnat; policy accept;
        jump prerouting_miniupnpd
    }
    chain postrouting {
        type nat hook postrouting priority srcnat; policy accept;
        jump postrouting_miniupnpd
        oifname "eth0" masquerade
    }
    chain prerouting_miniupnpd {
    }
    chain postrouting_miniupnpd {
    }
}
EOF
    cat >"$dir/miniupnpd.conf" <<EOF
ext_ifname=eth0
listening_ip=lan
http_port=0
enable_natpmp=yes
enable_upnp=yes
secure_mode=yes
system_uptime=yes
ipv6_disable=yes
min_lifetime=120
max_lifetime=86400
upnp_table_name=filter
upnp_nat_table_name=nat
upnp_forward_chain=miniupnpd
upnp_nat_chain=prerouting_miniupnpd
upnp_nat_postrouting_chain=postrouting_miniupnpd
lease_file=$dir/leases
uuid=$(cat /proc/sys/kernel/random/uuid)
allow 1024-65535 10.78.$j.0/24 1024-65535
deny 0-65535 0.0.0.0/0 0-65535
EOF
    ip netns exec "$r" miniupnpd -f "$dir/miniupnpd.conf" -P "$dir/pid" -d >"$dir/log" 2>&1 &
    sleep 0.5
    [[ -s $dir/pid ]] && kill -0 "$(cat "$dir/pid")" 2>/dev/null || die "miniupnpd did not start on r$j: $(tail -3 "$dir/log")"
}

mappings() { # the forwards miniupnpd added, one per line: "tcp|udp EXTERNAL_PORT -> HOST:PORT"
    ip netns exec "$(ns r$1)" nft list chain inet nat prerouting_miniupnpd 2>/dev/null | awk '
        / dnat ip to / {
            proto = (/@nh,72,8 0x6 / || / tcp dport /) ? "tcp" : (/@nh,72,8 0x11 / || / udp dport /) ? "udp" : "?"
            for (i = 1; i < NF; i++) { if ($i == "dport") port = $(i + 1) }
            print proto, port, "->", $NF
        }'
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
    addr6) [[ ${1:-} =~ ^h[0-9]+$ ]] || die "addr6 HOST: public hosts (hI) only"; echo "fd77::${1#h}" ;;
    upnp) need_tools; upnp "$1" ;;
    mappings) mappings "$1" ;;
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
        sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//' >&2
        exit 2
        ;;
esac
