#!/usr/bin/env bash
# Benchmark: dnsperf queries per second (UDP, then TCP with pipelining) against us (the
# dns-authoritative unikernel on the host target), NSD and Knot, serving the same zone, in the same
# run; the server's CPU time (user + system) per UDP query answered, which moves less with the
# machine's load than queries/s; time from process start to the first answer; RSS after the load. Needs: dnsperf, nsd, knot, kdig (test-peers.txt), and the
# launcher built:
#   ./mvnw -B -ntp -o -q -pl dns-authoritative-letsencrypt,launcher install -DskipTests
# Usage: dns-authoritative-letsencrypt/bench/run.sh [SECONDS-PER-SERVER (default 15)] [CLIENTS (default 4)]
set -euo pipefail

SECONDS_PER_RUN=${1:-15}
TCP_SECONDS=$(( SECONDS_PER_RUN * 2 / 3 ))
CLIENTS=${2:-4}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
. "$ROOT/scripts/lib/jdk.sh"
JAVA=${JAVA:-$JAVA_HOME/bin/java}
ZONE_FILE="$ROOT/dns-authoritative-letsencrypt/src/test/resources/zones/example.test"
US_PORT=21501 NSD_PORT=21502 KNOT_PORT=21503
WORK=$(mktemp -d /tmp/dnsa-bench.XXXXXX)
PIDS=()
stop() {
  kill "$1" 2>/dev/null || true
  for _ in $(seq 1 200); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.05; done
  kill -9 "$1" 2>/dev/null || true
}
cleanup() {
  for pid in "${PIDS[@]}"; do stop "$pid"; done
  rm -rf "$WORK"
}
trap cleanup EXIT

for cmd in dnsperf kdig; do command -v $cmd >/dev/null || { echo "$cmd missing (see test-peers.txt)"; exit 1; }; done
[ -x /usr/sbin/nsd ] && [ -x /usr/sbin/knotd ] || { echo "nsd and knot needed (see test-peers.txt)"; exit 1; }
[ -f "$ROOT/launcher/target/launcher.jar" ] || { echo "build the launcher first (see the header)"; exit 1; }

# The query mix: positive answers, a CNAME chain, a wildcard, NXDOMAIN, NODATA, a referral with glue, MX with additional.
cat > "$WORK/queries" <<'Q'
web.example.test A
www.example.test A
example.test MX
chain1.example.test A
abc.wild.example.test A
nope.example.test A
web.example.test MX
www.child.example.test A
example.test SOA
_sip._udp.example.test SRV
web.example.test AAAA
example.test NS
Q

# ---------------------------------------------------------------- servers
mkdir -p "$WORK/kv" "$WORK/nsd" "$WORK/knot/db"
cp "$ZONE_FILE" "$WORK/kv/example.test"
cp "$ZONE_FILE" "$WORK/nsd/example.test"
cp "$ZONE_FILE" "$WORK/knot/example.test.zone"
cat > "$WORK/nsd/nsd.conf" <<C
server:
  ip-address: 127.0.0.1
  port: $NSD_PORT
  zonesdir: "$WORK/nsd"
  database: ""
  pidfile: "$WORK/nsd/nsd.pid"
  xfrdfile: "$WORK/nsd/xfrd.state"
  zonelistfile: "$WORK/nsd/zone.list"
  username: ""
  chroot: ""
  logfile: "$WORK/nsd/nsd.log"
  rrl-ratelimit: 0
  server-count: 1
remote-control:
  control-enable: no
zone:
  name: example.test
  zonefile: "$WORK/nsd/example.test"
C
cat > "$WORK/knot/knot.conf" <<C
server:
  rundir: "$WORK/knot"
  listen: 127.0.0.1@$KNOT_PORT
  udp-workers: 1
  tcp-workers: 1
  background-workers: 1
database:
  storage: "$WORK/knot/db"
log:
  - target: stderr
    any: warning
zone:
  - domain: example.test
    file: "$WORK/knot/example.test.zone"
    journal-content: none
C

now_ms() { date +%s%3N; }

# Starts a server, waits for its first answer; writes "PID BOOT_MS" to $WORK/booted.
boot() {
  local port=$1; shift
  local start; start=$(now_ms)
  "$@" > "$WORK/server-$port.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  for _ in $(seq 1 600); do
    if kdig @127.0.0.1 -p "$port" +norec +time=1 +retry=0 web.example.test A 2>/dev/null | grep -q '192.0.2.80'; then
      echo "$pid $(( $(now_ms) - start ))" > "$WORK/booted"
      return
    fi
    sleep 0.02
  done
  echo "server on port $port did not answer:" >&2; cat "$WORK/server-$port.log" >&2; exit 1
}

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
# utime + stime in clock ticks of a process and all its descendants (NSD answers from a process it
# forks): fields 14 and 15 of /proc/PID/stat, counted after the name (field 2, which may hold spaces)
cpu_ticks() {
  local total p
  total=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{print $12 + $13}')
  for p in $(pgrep -P "$1"); do total=$(( ${total:-0} + $(cpu_ticks "$p") )); done
  echo "${total:-0}"
}

measure() {
  local name=$1 port=$2 pid=$3 boot_ms=$4
  local ticks; ticks=$(cpu_ticks "$pid")
  local out; out=$(dnsperf -s 127.0.0.1 -p "$port" -d "$WORK/queries" -l "$SECONDS_PER_RUN" -c "$CLIENTS" -q 200 2>&1)
  local cpu; cpu=$(echo "$out" | awk -v b="$ticks" -v a="$(cpu_ticks "$pid")" -v t="$(getconf CLK_TCK)" \
    '/Queries completed/ { if ($3 > 0) printf "%.1f", (a - b) / t * 1e6 / $3 }')
  local qps; qps=$(echo "$out" | awk '/Queries per second/ {print $4}')
  local lost; lost=$(echo "$out" | awk '/Queries lost/ {print $3}')
  local lat; lat=$(echo "$out" | awk '/Average Latency/ {print $4}')
  # then TCP: CLIENTS*2 connections, queries pipelined on each (RFC 7766)
  local tcp; tcp=$(dnsperf -m tcp -s 127.0.0.1 -p "$port" -d "$WORK/queries" -l "$TCP_SECONDS" -c $(( CLIENTS * 2 )) -q 100 2>&1)
  local tqps; tqps=$(echo "$tcp" | awk '/Queries per second/ {print $4}')
  printf "%-25s %12s %10s %14s %12s %12s %12s %10s\n" "$name" "$qps" "$lost" "$lat" "$cpu" "$tqps" "$boot_ms" "$(( $(rss_kb "$pid") / 1024 ))"
}

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); per server ${SECONDS_PER_RUN}s UDP with $CLIENTS dnsperf clients, ${TCP_SECONDS}s TCP with $(( CLIENTS * 2 )) connections; 12-query mix"
printf "%-25s %12s %10s %14s %12s %12s %12s %10s\n" server "UDP q/s" "UDP lost" "UDP latency s" "UDP us CPU/q" "TCP q/s" "boot->1st ms" "RSS MiB"

us() {
  boot $US_PORT "$JAVA" "$@" --enable-native-access=ALL-UNNAMED -cp "$ROOT/launcher/target/launcher.jar:$ROOT/launcher/target/lib/*" \
    jmirage.launcher.Main run dns-authoritative --port $US_PORT --rrl 0 --kv "dir:$WORK/kv" --zone-poll 0 --log-level warn
}
us
read -r pid ms < "$WORK/booted"
measure "jmirage (host target)" $US_PORT "$pid" "$ms"; stop "$pid"
# the same with a small heap, for what a JVM needs rather than what it takes on a big machine
us -Xmx64m -XX:+UseSerialGC
read -r pid ms < "$WORK/booted"
measure "jmirage -Xmx64m SerialGC" $US_PORT "$pid" "$ms"; stop "$pid"

boot $NSD_PORT /usr/sbin/nsd -d -c "$WORK/nsd/nsd.conf"
read -r pid ms < "$WORK/booted"
measure "NSD $(/usr/sbin/nsd -v 2>&1 | head -1 | awk '{print $3}')" $NSD_PORT "$pid" "$ms"; stop "$pid"

boot $KNOT_PORT /usr/sbin/knotd -c "$WORK/knot/knot.conf"
read -r pid ms < "$WORK/booted"
measure "Knot $(/usr/sbin/knotd -V | awk '{print $NF}')" $KNOT_PORT "$pid" "$ms"; stop "$pid"
