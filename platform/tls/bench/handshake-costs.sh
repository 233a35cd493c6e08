#!/usr/bin/env bash
# The public-key work of one full TLS 1.3 handshake with an ECDSA P-256 certificate, per operation:
# ours (HandshakeCosts: Bouncy Castle as BcTlsCrypto uses it, and the JDK's SunEC) beside
# `openssl speed` of the same operations, same run, rounds interleaved. What limits the handshake
# row of BENCHMARKS.md ("TLS handshakes and bulk throughput").
# Usage: platform/tls/bench/handshake-costs.sh [seconds [rounds]]
set -euo pipefail
cd "$(dirname "$0")/../../.."
SECS=${1:-3}
ROUNDS=${2:-2}
. scripts/lib/jdk.sh
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
./mvnw -B -ntp -o -q -pl platform/tls -am test-compile >/dev/null
./mvnw -B -ntp -o -q -pl platform/tls dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
CP="platform/tls/target/classes:platform/tls/target/test-classes:$(cat "$WORK/cp.txt")"
echo "# $(date -u +%FT%TZ) $(git rev-parse --short HEAD) load $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$ROUNDS"); do
  echo "## round $r: ours"
  "$JAVA_HOME/bin/java" -cp "$CP" jmirage.tls.HandshakeCosts "$SECS"
  echo "## round $r: openssl speed -seconds $SECS ecdsap256 ecdhx25519 (sign/s; op/s: one X25519 agreement, no key pair)"
  openssl speed -seconds "$SECS" ecdsap256 ecdhx25519 2>/dev/null | grep -E '^ *256 bits ecdsa|^ *253 bits ecdh'
done
