#!/usr/bin/env bash
# qubes-firewall's forwarding throughput beside nftables, same run (BENCHMARKS.md "qubes-firewall").
# As root. iperf3 TCP from a client namespace to a server upstream, for SECONDS (default 10):
#   1. through the unikernel on the tap target (its --metrics on the uplink, read for the client's
#      counts): client qfw-a (10.33.0.2/32, MAC bound in the feed) on an
#      isolated port of the bridge qfwbr0 (namespace qfw-br) with the TAP qfwtapc; the TAP qfwtapu in
#      qfw-up, the server (10.34.0.5, the firewall's gateway); rules: DNS, TCP 5201 to the server, drop;
#      NAT to 10.34.0.1. The unikernel's RSS at rest is read 10 s after its boot (decision 23), then
#      sampled every 0.5 s under load, the median and the largest printed: a flood of FLOWS new UDP flows (default
#      24576, three times the NAT's capacity) fills the NAT table, then iperf3 runs.
#   2. through Linux: client qfw-lc (10.33.1.2) - veth - router qfw-lr (nftables: the same rules in a
#      forward chain that drops by default, established flows through, masquerade to 10.34.1.1) - veth -
#      server qfw-lu (10.34.1.5).
# Everything it makes is removed at the end, also on failure.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
seconds="${1:-10}"
FLOWS="${FLOWS:-24576}"
work="$(mktemp -d /tmp/qfw-bench.XXXXXX)"
fw_pid=""

remove_network() {
  for ns in qfw-a qfw-br qfw-up qfw-lc qfw-lr qfw-lu; do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
  done
  ip link del qfwtapc 2>/dev/null || true
  ip link del qfwtapu 2>/dev/null || true
}
cleanup() {
  [ -z "$fw_pid" ] || kill "$fw_pid" 2>/dev/null || true
  [ -z "$fw_pid" ] || wait "$fw_pid" 2>/dev/null || true
  remove_network
  rm -rf "$work"
}
trap cleanup EXIT
remove_network # what an interrupted run left

# ---- the feed ----
mkdir -p "$work/kv/qubes-clients/10.33.0.2" "$work/kv/qubes-firewall/10.33.0.2"
echo 02:00:00:00:00:02 > "$work/kv/qubes-clients/10.33.0.2/mac"
echo drop > "$work/kv/qubes-firewall/10.33.0.2/policy"
echo "action=accept specialtarget=dns" > "$work/kv/qubes-firewall/10.33.0.2/0000"
echo "action=accept dst4=10.34.0.5 proto=tcp dstports=5201-5201" > "$work/kv/qubes-firewall/10.33.0.2/0001"

# ---- 1. the unikernel ----
for ns in qfw-a qfw-br qfw-up; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
ip -n qfw-br link add qfwbr0 type bridge
ip -n qfw-br link set qfwbr0 up
ip link add qfwva type veth peer name qfwpa
ip link set qfwva netns qfw-br
ip link set qfwpa netns qfw-a
ip -n qfw-br link set qfwva master qfwbr0
ip -n qfw-br link set dev qfwva type bridge_slave isolated on
ip -n qfw-br link set qfwva up
ip -n qfw-a link set qfwpa name eth0
ip -n qfw-a link set eth0 address 02:00:00:00:00:02
ip -n qfw-a link set eth0 up
ip -n qfw-a addr add 10.33.0.2/32 dev eth0
ip -n qfw-a route add 10.33.0.1 dev eth0
ip -n qfw-a route add default via 10.33.0.1

"$root/unikernel" run qubes-firewall --target tap --tap-create --kv "dir:$work/kv" --dns 10.34.0.5 \
  --net uplink=qfwtapu,ipv4=10.34.0.1/16,gateway=10.34.0.5 --net clients=qfwtapc,ipv4=10.33.0.1/24 --metrics 9153 \
  > "$work/firewall.log" 2>&1 &
fw_pid=$!
for _ in $(seq 1 300); do
  grep -q "routing clients" "$work/firewall.log" && break
  kill -0 "$fw_pid" 2>/dev/null || { cat "$work/firewall.log"; exit 1; }
  sleep 0.1
done
grep -q "routing clients" "$work/firewall.log" || { cat "$work/firewall.log"; echo "the firewall did not boot" >&2; exit 1; }
booted_at=$SECONDS
ip link set qfwtapc netns qfw-br
ip -n qfw-br link set qfwtapc master qfwbr0
ip -n qfw-br link set qfwtapc up
ip link set qfwtapu netns qfw-up
ip -n qfw-up addr add 10.34.0.5/16 dev qfwtapu
ip -n qfw-up link set qfwtapu up
ip netns exec qfw-up iperf3 -s -D -1 -B 10.34.0.5 --logfile "$work/iperf-server.log"
# At rest means 10 s after the boot (decision 23): the JIT's boot-time arenas are trimmed by then.
sleep $(( booted_at + 10 > SECONDS ? booted_at + 10 - SECONDS : 1 ))
java_pid="$fw_pid" # ./unikernel execs the JVM
rss_before=$(awk '/VmRSS/ {print $2}' "/proc/$java_pid/status")
(while kill -0 "$java_pid" 2>/dev/null; do
   awk '/VmRSS/ {print $2}' "/proc/$java_pid/status" 2>/dev/null >> "$work/rss-samples" || true
   sleep 0.5; done) &
sampler=$!
# A flood of new flows first (decision 17): UDP datagrams to the DNS server (specialtarget=dns) from
# FLOWS source ports, three times the NAT's 8192 mappings, so the table is full and evicting while
# iperf3 runs and the RSS sampled is that of a full table.
ip netns exec qfw-a python3 - "$FLOWS" <<'PY'
import socket, sys, time
for i in range(int(sys.argv[1])):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(b"flood", ("10.34.0.5", 53))
    s.close()
    if i % 128 == 0:
        time.sleep(0.5 if i == 0 else 0.005)  # the first waits for ARP; then paced below the TAP's queue
PY
ip netns exec qfw-a iperf3 -c 10.34.0.5 -t "$seconds" -J > "$work/unikernel.json"
load_unikernel="$(cut -d' ' -f1-3 /proc/loadavg)"
kill "$sampler" 2>/dev/null || true
statistics="$(ip netns exec qfw-up curl -s --max-time 5 http://10.34.0.1:9153/metrics \
  | grep -E '^jmirage_qubes_datagrams_total\{client="10.33.0.2"|^jmirage_nat_' | grep -v ' 0$' || true)"
unikernel_bps=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"])' "$work/unikernel.json")
unikernel_retr=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["end"]["sum_sent"].get("retransmits", 0))' "$work/unikernel.json")

# ---- 2. Linux with nftables ----
for ns in qfw-lc qfw-lr qfw-lu; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
ip link add qfwlc type veth peer name qfwlrc
ip link set qfwlc netns qfw-lc; ip link set qfwlrc netns qfw-lr
ip link add qfwlu type veth peer name qfwlru
ip link set qfwlu netns qfw-lu; ip link set qfwlru netns qfw-lr
ip -n qfw-lc link set qfwlc up; ip -n qfw-lc addr add 10.33.1.2/24 dev qfwlc; ip -n qfw-lc route add default via 10.33.1.1
ip -n qfw-lr link set qfwlrc up; ip -n qfw-lr addr add 10.33.1.1/24 dev qfwlrc
ip -n qfw-lr link set qfwlru up; ip -n qfw-lr addr add 10.34.1.1/24 dev qfwlru
ip -n qfw-lu link set qfwlu up; ip -n qfw-lu addr add 10.34.1.5/24 dev qfwlu
ip netns exec qfw-lr sysctl -q -w net.ipv4.ip_forward=1
ip netns exec qfw-lr nft -f - <<'NFT'
table ip qubes {
  chain forward {
    type filter hook forward priority filter; policy drop;
    ct state established,related accept
    iifname "qfwlrc" ip saddr 10.33.1.2 jump qbs-10-33-1-2
  }
  chain qbs-10-33-1-2 {
    ip daddr 10.34.1.5 udp dport 53 accept
    ip daddr 10.34.1.5 tcp dport 53 accept
    ip daddr 10.34.1.5 tcp dport 5201 accept
    reject with icmp type admin-prohibited
  }
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "qfwlru" masquerade
  }
}
NFT
ip netns exec qfw-lu iperf3 -s -D -1 -B 10.34.1.5 --logfile "$work/iperf-linux-server.log"
sleep 1
ip netns exec qfw-lc iperf3 -c 10.34.1.5 -t "$seconds" -J > "$work/linux.json"
load_linux="$(cut -d' ' -f1-3 /proc/loadavg)"
linux_bps=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"])' "$work/linux.json")

printf 'iperf3 TCP, %s s, client -> rules -> NAT -> server\n' "$seconds"
rss_load="$(sort -n "$work/rss-samples" | awk '{ v[NR] = $1 } END { printf "%d MiB median, %d MiB peak", v[int((NR + 1) / 2)] / 1024, v[NR] / 1024 }')"
printf 'unikernel (tap):  %8.0f Mbit/s  retransmits %s  RSS %s MiB at rest, under load %s  load %s\n' \
  "$(python3 -c "print($unikernel_bps/1e6)")" "$unikernel_retr" "$((rss_before / 1024))" "$rss_load" "$load_unikernel"
printf 'the client'"'"'s statistics (--metrics):\n%s\n' "$statistics"
printf 'nftables (veth):  %8.0f Mbit/s  load %s\n' "$(python3 -c "print($linux_bps/1e6)")" "$load_linux"
