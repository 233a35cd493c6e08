#!/usr/bin/env bash
# dhcp-server beside Kea (kea-dhcp4, memfile backend), same machine, same run: perfdhcp sends relayed
# DORA exchanges (giaddr = its own address) to each server in turn, inside a network namespace of
# our own (two addresses on its loopback), so nothing touches the host's network. Prints leases/s
# (4-way exchanges per second), drops and each server's resident memory after the run.
#
# Ours runs three times: on a dir store, on a block store (an image file), and on a dir store with a
# small heap; JMIRAGE_JAVA_OPTS adds JVM options to each (a profiler: -XX:StartFlightRecording=...).
#
# Needs root, perfdhcp (kea-admin), kea-dhcp4 (kea-dhcp4-server), JDK 25. Run from anywhere:
#   sudo dhcp-server/bench/run.sh [RATE] [SECONDS]       defaults: 5000 offered exchanges/s, 15 s
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
RATE="${1:-5000}"
SECONDS_RUN="${2:-15}"
. "$ROOT/scripts/lib/jdk.sh"
NS="dhcpdbench$$"
WORK="$(mktemp -d /tmp/dhcpd-bench.XXXXXX)"
SERVER=10.200.0.1
RELAY=10.200.0.2
PIDS=()

for tool in perfdhcp kea-dhcp4 ip; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install kea-admin kea-dhcp4-server iproute2" >&2; exit 1; }
done
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 0.5
  ip netns del "$NS" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

JAR="$ROOT/dhcp-server/target/dhcp-server-0.1.0-SNAPSHOT.jar"
if [[ ! -f "$JAR" || ! -f "$ROOT/launcher/target/launcher.jar" ]]; then
  (cd "$ROOT" && JAVA_HOME="$JAVA_HOME" ./mvnw -B -ntp -o -q -pl dhcp-server,launcher install -DskipTests)
fi
# Our module's jar first, so a launcher built before the latest dhcp-server change still runs it.
CP="$JAR:$ROOT/launcher/target/launcher.jar:$ROOT/launcher/target/lib/*"

ip netns add "$NS"
ip -n "$NS" link set lo up
ip -n "$NS" addr add "$SERVER/14" dev lo
ip -n "$NS" addr add "$RELAY/14" dev lo

mkdir -p "$WORK/kv"
cat > "$WORK/kv/dhcpd.conf" <<CONF
default-lease-time 3600;
subnet 10.200.0.0 netmask 255.252.0.0 {
  option routers $SERVER;
  option domain-name-servers $SERVER;
  range 10.200.1.0 10.203.255.254;
}
CONF
cat > "$WORK/kea.json" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "lo/$SERVER" ], "dhcp-socket-type": "udp" },
  "lease-database": { "type": "memfile", "persist": true, "name": "$WORK/kea-leases.csv", "lfc-interval": 0 },
  "valid-lifetime": 3600,
  "subnet4": [ { "subnet": "10.200.0.0/14", "pools": [ { "pool": "10.200.1.0 - 10.203.255.254" } ],
                 "option-data": [ { "name": "routers", "data": "$SERVER" }, { "name": "domain-name-servers", "data": "$SERVER" } ] } ],
  "loggers": [ { "name": "kea-dhcp4", "severity": "WARN", "output_options": [ { "output": "$WORK/kea.log" } ] } ]
} }
JSON

rss() { awk '/VmRSS/ {print $2 " kB"}' "/proc/$1/status"; }
# perfdhcp: relayed (-l gives the giaddr), RATE offered exchanges/s, SECONDS_RUN seconds, 200k distinct clients.
perf() { ip netns exec "$NS" perfdhcp -4 -l "$RELAY" -r "$1" -p "$2" -R 200000 "$SERVER" 2>&1 || true; } # exits non-zero on drops
summary() {
  awk '/^Rate:/ {rate=$2} /sent packets/ {s[++n]=$3} /received packets/ {r[++m]=$3}
       END {printf "%s leases/s; DISCOVER %s sent %s offered; REQUEST %s sent %s acked\n", rate, s[1], r[1], s[2], r[2]}'
}

run() { # NAME PID
  sleep 2
  perf 1000 5 >/dev/null # warm-up (the JIT for us; the same for Kea)
  local out; out="$(perf "$RATE" "$SECONDS_RUN")"
  echo "$out" > "$WORK/$1.perfdhcp"
  printf '%-24s %s RSS %s\n' "$1" "$(echo "$out" | summary)" "$(rss "$2")"
}

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); offered $RATE exchanges/s for $SECONDS_RUN s"
store() { "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$CP" jmirage.launcher.Main store "$@" 2>&1; }
bound() { # the addresses whose last record in the lease files under $1 is BOUND
  cat "$1"/leases/snapshot "$1"/leases/journal/* 2>/dev/null | awk '{s[$2]=$3} END {n=0; for (a in s) if (s[a]=="BOUND") n++; print n}'
}
ours() { # LABEL dir|block JVM-OPTIONS...
  local label="$1" backend="$2"; shift 2
  local kv="dir:$WORK/kv"
  rm -rf "$WORK/kv/leases" "$WORK/export"
  if [[ "$backend" == block ]]; then
    # The block store: one checksummed record appended per write in a preallocated image, no file
    # created per write (platform/kv README, "The block backend").
    rm -f "$WORK/leases.img"
    fallocate -l 1G "$WORK/leases.img"
    store format "$WORK/leases.img" >/dev/null
    store put "$WORK/leases.img" dhcpd.conf < "$WORK/kv/dhcpd.conf"
    kv="block:$WORK/leases.img"
  fi
  ip netns exec "$NS" "$JAVA_HOME/bin/java" "$@" ${JMIRAGE_JAVA_OPTS:-} --enable-native-access=ALL-UNNAMED -cp "$CP" \
    jmirage.launcher.Main run dhcp-server --kv "$kv" --listen "$SERVER" --http-port 0 --log-level warn > "$WORK/$label.log" 2>&1 &
  local pid=$!
  PIDS+=($pid)
  run "$label" "$pid"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  # Every ACK was written before it left: the store holds at least as many bound addresses.
  local stored
  if [[ "$backend" == block ]]; then
    store export "$WORK/leases.img" "$WORK/export" >/dev/null
    stored="$(bound "$WORK/export")"
  else
    stored="$(bound "$WORK/kv")"
  fi
  printf '%-24s %s addresses stored as BOUND\n' "" "$stored"
}
ours dhcp-server dir
# The same on the block store (an image file) instead of a folder.
ours dhcp-server-block block
# The same with a heap sized for the job (the JVM's default grows to a quarter of the RAM).
ours dhcp-server-small-heap dir -Xmx96m -XX:+UseSerialGC

KEA_PIDFILE_DIR="$WORK" KEA_LOCKFILE_DIR="$WORK" ip netns exec "$NS" kea-dhcp4 -c "$WORK/kea.json" > "$WORK/kea.out" 2>&1 &
PIDS+=($!)
run kea-dhcp4 $!
