#!/usr/bin/env bash
# HTTP requests per second: our server (DemoServer on the host target: HostScheduler + HostStack,
# one event loop thread) beside nginx (one worker process), both serving the same small file from
# loopback, measured with wrk in the same run. Writes the numbers to stdout; the results and the
# exact commands are recorded in ../benchmark.md.
#
# usage: platform/http/bench/run.sh [DURATION_SECONDS] [CONNECTIONS]
set -euo pipefail
DURATION=${1:-15}
CONNECTIONS=${2:-50}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
. "$ROOT/scripts/lib/jdk.sh"
for tool in wrk:wrk nginx:nginx-light; do
  command -v "${tool%%:*}" >/dev/null || { echo "missing ${tool%%:*}: apt-get install ${tool##*:}" >&2; exit 1; }
done

TMP=$(mktemp -d /tmp/http-bench.XXXXXX)
cleanup() {
  [[ -n "${OURS:-}" ]] && kill "$OURS" 2>/dev/null || true
  [[ -n "${NGINX:-}" ]] && kill "$NGINX" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT

# The same small file for both: 612 bytes of HTML.
mkdir -p "$TMP/www" "$TMP/logs"
python3 - "$TMP/www/index.html" <<'PY'
import sys
body = "<!doctype html><title>bench</title><p>" + "Hello from a unikernel. " * 23 + "</p>\n"
body = body + " " * (612 - len(body))
open(sys.argv[1], "w").write(body)
PY

# nginx's worker runs as www-data when started as root: let it read the file.
chmod 755 "$TMP" "$TMP/www"; chmod 644 "$TMP/www/index.html"

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
OUR_PORT=$(port)
NGINX_PORT=$(port)

cat > "$TMP/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $TMP/nginx.pid;
error_log $TMP/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nodelay on;
  keepalive_requests 10000;
  keepalive_timeout 60s;
  types { text/html html; }
  client_body_temp_path $TMP/body;
  proxy_temp_path $TMP/proxy;
  fastcgi_temp_path $TMP/fastcgi;
  uwsgi_temp_path $TMP/uwsgi;
  scgi_temp_path $TMP/scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $TMP/www;
  }
}
CONF

# Our server: the test classpath (built by: ./mvnw -o -q -pl platform/http install -DskipTests).
( cd "$ROOT" && JAVA_HOME=$JAVA_HOME ./mvnw -B -ntp -o -q -pl platform/http dependency:build-classpath \
    -Dmdep.outputFile="$TMP/cp.txt" -Dmdep.includeScope=test >/dev/null )
CP="$ROOT/platform/http/target/test-classes:$ROOT/platform/http/target/classes:$(cat "$TMP/cp.txt")"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xms256m -Xmx256m -XX:+UseParallelGC -cp "$CP" \
    jmirage.http.DemoServer "$OUR_PORT" "index.html=$TMP/www/index.html" > "$TMP/logs/ours.log" 2>&1 &
OURS=$!
nginx -p "$TMP" -c "$TMP/nginx.conf" > "$TMP/logs/nginx.out" 2>&1 &
NGINX=$!

wait_for() {
  for _ in $(seq 300); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.2; done
  echo "no answer from $1" >&2; tail -n 20 "$TMP"/logs/* >&2; exit 1
}
wait_for "http://127.0.0.1:$OUR_PORT/index.html"
wait_for "http://127.0.0.1:$NGINX_PORT/index.html"
cmp <(curl -fsS "http://127.0.0.1:$OUR_PORT/index.html") <(curl -fsS "http://127.0.0.1:$NGINX_PORT/index.html")

measure() { # NAME URL
  wrk -t1 -c"$CONNECTIONS" -d5s "$2" > /dev/null          # warm-up (JIT, caches)
  echo "== $1: wrk -t1 -c$CONNECTIONS -d${DURATION}s $2"
  wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$2" | tee "$TMP/$1.txt"
}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
measure jmirage "http://127.0.0.1:$OUR_PORT/index.html"
measure nginx "http://127.0.0.1:$NGINX_PORT/index.html"
measure jmirage-again "http://127.0.0.1:$OUR_PORT/index.html"
measure nginx-again "http://127.0.0.1:$NGINX_PORT/index.html"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

rps() { awk '/Requests\/sec/ {print $2}' "$TMP/$1.txt"; }
echo
echo "requests/s: jmirage $(rps jmirage) then $(rps jmirage-again); nginx $(rps nginx) then $(rps nginx-again)"
python3 -c "import sys; a,b,c,d=map(float,sys.argv[1:]); print(f'ratio jmirage/nginx (best of two each): {max(a,c)/max(b,d):.2f}')" \
  "$(rps jmirage)" "$(rps nginx)" "$(rps jmirage-again)" "$(rps nginx-again)"
