#!/bin/sh
# btc-pinata benchmark: TLS handshakes per second with a client certificate, the pinata (port 10000,
# --test certificates) beside `openssl s_server -Verify 1` with the same CA, server key type (EC
# P-256) and client certificate, measured by `openssl s_time -new` in the same run; RSS of each
# server under that load.
#
# Needs: openssl, the launcher built (./mvnw -B -ntp -o -q -pl btc-pinata,launcher install -DskipTests).
# Usage: btc-pinata/bench/run.sh [seconds per measurement, default 10]
set -eu
cd "$(dirname "$0")/../.."
SECONDS_PER_RUN=${1:-10}
. scripts/lib/jdk.sh
PKI=btc-pinata/src/test/resources/test-pki
ADDR=127.0.0.1
OPENSSL_PORT=29443
OUT=$(mktemp -d)
PINATA_PID=
SSERVER_PID=
cleanup() {
  [ -n "$PINATA_PID" ] && kill "$PINATA_PID" 2>/dev/null || true
  [ -n "$SSERVER_PID" ] && kill "$SSERVER_PID" 2>/dev/null || true
  rm -rf "$OUT"
}
trap cleanup EXIT INT TERM

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
hwm_kb() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }

# Samples RSS of $1 every 0.5 s while s_time runs; prints "connections seconds max-rss-kB"
measure() {
  pid=$1; port=$2
  openssl s_time -connect "$ADDR:$port" -new -time "$SECONDS_PER_RUN" \
      -cert "$PKI/client.pem" -key "$PKI/client.key" -CAfile "$PKI/ca.pem" > "$OUT/stime" 2>&1 &
  st=$!
  max=0
  while kill -0 "$st" 2>/dev/null; do
    r=$(rss_kb "$pid"); [ "$r" -gt "$max" ] && max=$r
    sleep 0.5
  done
  wait "$st" || true
  line=$(grep "connections in .* real seconds" "$OUT/stime" | head -1)
  n=$(echo "$line" | awk '{print $1}'); s=$(echo "$line" | awk '{print $4}')
  echo "$n $s $max"
}

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(openssl version)"

# As users run it: ./unikernel gives it its declared heap and execs the JVM (so the PID is the JVM's);
# JMIRAGE_JAVA_OPTS adds JVM options.
./unikernel run btc-pinata --test --listen "$ADDR" --http-port 28080 --https-port 28443 --kv mem \
    --log-level WARN > "$OUT/pinata.log" 2>&1 &
PINATA_PID=$!
for i in $(seq 1 100); do
  if echo | openssl s_client -connect "$ADDR:10000" -cert "$PKI/client.pem" -key "$PKI/client.key" \
      -ign_eof > /dev/null 2>&1; then break; fi
  sleep 0.2
done

openssl s_server -accept "$ADDR:$OPENSSL_PORT" -cert "$PKI/server.pem" -key "$PKI/server.key" \
    -CAfile "$PKI/ca.pem" -Verify 1 -quiet > "$OUT/sserver.log" 2>&1 &
SSERVER_PID=$!
sleep 0.5

echo "warming the JVM up (5 s, not counted)"
SECONDS_SAVED=$SECONDS_PER_RUN; SECONDS_PER_RUN=5; measure "$PINATA_PID" 10000 > /dev/null; SECONDS_PER_RUN=$SECONDS_SAVED

set -- $(measure "$PINATA_PID" 10000); p_n=$1; p_s=$2; p_rss=$3
set -- $(measure "$SSERVER_PID" "$OPENSSL_PORT"); o_n=$1; o_s=$2; o_rss=$3
p_rate=$(awk -v n="$p_n" -v s="$p_s" 'BEGIN {printf "%.1f", n / s}')
o_rate=$(awk -v n="$o_n" -v s="$o_s" 'BEGIN {printf "%.1f", n / s}')
ratio=$(awk -v a="$p_rate" -v b="$o_rate" 'BEGIN {printf "%.2f", a / b}')
curl -s "http://$ADDR:28080/stats" > "$OUT/stats"

printf '%-34s %10s %12s %14s\n' "server" "handshakes" "per second" "max RSS (MiB)"
printf '%-34s %10s %12s %14s\n' "btc-pinata :10000 (--test)" "$p_n" "$p_rate" "$(awk -v k="$p_rss" 'BEGIN {printf "%.0f", k / 1024}')"
printf '%-34s %10s %12s %14s\n' "openssl s_server -Verify 1" "$o_n" "$o_rate" "$(awk -v k="$o_rss" 'BEGIN {printf "%.0f", k / 1024}')"
echo "ratio pinata / openssl: $ratio; pinata peak RSS (VmHWM) $(($(hwm_kb "$PINATA_PID") / 1024)) MiB"
echo "the pinata's own statistics for 10000 (s_time hangs up right after its Finished, so most secrets"
echo "find the connection gone: send-failed / transport-error; every one of them was a verified handshake):"
grep " SERVER \| 10000 " "$OUT/stats" | sed 's/^/  /'
