#!/usr/bin/env bash
# Handshakes/s (openssl s_time, full handshakes) and bulk throughput (openssl s_client reading a
# 256 MiB body), ours (BenchServer on the host target) vs openssl s_server with the same
# certificate and key, same client, loopback. Usage: platform/tls/bench/run-benchmark.sh [seconds [rounds]]
set -euo pipefail
cd "$(dirname "$0")/../../.."
SECS=${1:-10}
ROUNDS=${2:-3}
. scripts/lib/jdk.sh
BULK=$((256 * 1024 * 1024))
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
./mvnw -B -ntp -o -q -pl platform/tls dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
CP="platform/tls/target/classes:platform/tls/target/test-classes:$(cat "$WORK/cp.txt")"
head -c $BULK /dev/zero > "$WORK/big.bin"

stime() {   # port version -> full handshakes per second (wall clock measured here)
  local t0 t1 n
  t0=$(date +%s.%N)
  n=$(openssl s_time -connect 127.0.0.1:$1 -new -time "$SECS" $2 2>&1 | awk '/connections in .* real seconds/ {print $1}' | tail -1)
  t1=$(date +%s.%N)
  echo "$n $t0 $t1" | awk '{printf "%.0f", $1/($3-$2)}'
}
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
bulk() {    # port version path -> MiB/s
  local t0 t1 n
  t0=$(date +%s.%N)
  n=$(printf 'GET %s HTTP/1.0\r\n\r\n' "$3" | openssl s_client -connect 127.0.0.1:$1 $2 -quiet 2>/dev/null | wc -c)
  t1=$(date +%s.%N)
  echo "$n $t0 $t1" | awk '{printf "%.0f", $1/1048576/($3-$2)}'
}

printf '| key | version | ours (handshakes/s) | openssl s_server (handshakes/s) | ours/openssl | bulk ours (MiB/s) | bulk openssl (MiB/s) |\n'
printf '|---|---|---|---|---|---|---|\n'
for key in rsa ec; do
  OURS=$((20000 + RANDOM % 20000)); OSSL=$((OURS + 1))
  mkdir -p "$WORK/$key"
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$CP" jmirage.tls.BenchServer $key $OURS "$WORK/$key" $BULK > "$WORK/$key/ours.log" 2>&1 &
  OURS_PID=$!
  for _ in $(seq 1 120); do grep -q READY "$WORK/$key/ours.log" && break; sleep 0.5; done
  env --chdir="$WORK" openssl s_server -accept 127.0.0.1:$OSSL -cert $key/leaf.pem -cert_chain $key/chain.pem -key $key/key.pem -WWW -quiet > "$WORK/$key/ossl.log" 2>&1 &
  OSSL_PID=$!
  sleep 1
  # JIT warm-up of our server, not counted.
  openssl s_time -connect 127.0.0.1:$OURS -new -time 5 -tls1_3 >/dev/null 2>&1 || true
  openssl s_time -connect 127.0.0.1:$OURS -new -time 5 -tls1_2 >/dev/null 2>&1 || true
  bulk $OURS -tls1_3 /big.bin >/dev/null
  for v in -tls1_2 -tls1_3; do
    # ROUNDS interleaved rounds (ours, then openssl), the median of each: the machine is shared.
    A=(); B=(); BA=(); BB=()
    for _ in $(seq 1 "$ROUNDS"); do
      A+=("$(stime $OURS $v)"); B+=("$(stime $OSSL $v)")
      BA+=("$(bulk $OURS $v /big.bin)"); BB+=("$(bulk $OSSL $v /big.bin)")
    done
    echo "# $key $v rounds: ours ${A[*]} | openssl ${B[*]} | bulk ours ${BA[*]} | bulk openssl ${BB[*]}" >&2
    a=$(median "${A[@]}"); b=$(median "${B[@]}"); ba=$(median "${BA[@]}"); bb=$(median "${BB[@]}")
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$key" "$v" "$a" "$b" "$(echo "$a $b" | awk '{printf "%.2f", $1/$2}')" "$ba" "$bb"
  done
  kill $OURS_PID $OSSL_PID 2>/dev/null || true; wait $OURS_PID $OSSL_PID 2>/dev/null || true
done
