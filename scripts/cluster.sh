#!/usr/bin/env bash
# A Parley cluster on this machine, for trying it: N Payara Micro nodes on loopback, clustered by Payara's
# data grid with TCP/IP discovery (never multicast), one PostgreSQL (embedded-postgres's binaries from
# Maven, or yours in PARLEY_DB_URL), and haproxy in front (Debian: apt-get install haproxy).
#
#   scripts/cluster.sh start [N]   N nodes (default 3); prints the address to open
#   scripts/cluster.sh status      what runs, and each node's readiness
#   scripts/cluster.sh stop        stops exactly what start started, by the PIDs it wrote down
#
# Ports (loopback only): haproxy 8000, its statistics 8001, nodes 8081.., data grid 5711.., PostgreSQL 5433.
# Everything lives in target/cluster-run/ (logs, PIDs, database); stop leaves it for reading.
set -euo pipefail
cd "$(dirname "$0")/.."

RUN=target/cluster-run
PG_DIR=$RUN/postgres
PG_PORT=5433
. scripts/embedded-postgres.sh
BALANCER_PORT=8000
NODE_BASE=8080
GRID_BASE=5710

start() {
  local nodes=${1:-3}
  if [ -s "$RUN/pids" ]; then echo "already running: scripts/cluster.sh stop first" >&2; exit 1; fi
  command -v haproxy >/dev/null || { echo "haproxy is missing: apt-get install -y haproxy" >&2; exit 1; }
  # The WAR, and Payara Micro copied by the execution the integration tests use (package alone does not reach it).
  if [ ! -f target/parley.war ] || [ ! -f target/payara-micro.jar ]; then
    mvn -B -q package dependency:copy@payara-micro -DskipTests
  fi
  mkdir -p "$RUN"
  : > "$RUN/pids"

  local db_url=${PARLEY_DB_URL:-}
  if [ -z "$db_url" ]; then
    echo "postgres $(start_postgres)" >> "$RUN/pids"
    db_url="jdbc:postgresql://127.0.0.1:$PG_PORT/postgres"
    export PARLEY_DB_USER=postgres PARLEY_DB_PASSWORD=postgres
  fi
  # Every node signs and checks tokens with the same key; the first admin is made by whichever node is first.
  [ -f "$RUN/token.key" ] || head -c 32 /dev/urandom | base64 > "$RUN/token.key"
  local admin_password=${PARLEY_ADMIN_PASSWORD:-$(head -c 12 /dev/urandom | base64 | tr -d '/+=')}

  local members=""
  for i in $(seq 1 "$nodes"); do members+="${members:+,}127.0.0.1:$((GRID_BASE + i))"; done
  for i in $(seq 1 "$nodes"); do
    mkdir -p "$RUN/node$i"
    PARLEY_DB_CLASS=org.postgresql.ds.PGSimpleDataSource PARLEY_DB_URL="$db_url" \
    PARLEY_TOKEN_KEY="$(cat "$RUN/token.key")" PARLEY_ADMIN_PASSWORD="$admin_password" \
    PARLEY_DATA_DIR="$RUN/node$i" PARLEY_CONNECTIONS_PER_ADDRESS_PER_MINUTE=100000 \
    PARLEY_LOGINS_PER_ADDRESS_PER_MINUTE=100000 PARLEY_ROOM_PASSWORDS_PER_ADDRESS_PER_MINUTE=100000 \
    PARLEY_GUESTS_PER_ADDRESS_PER_MINUTE=100000 PARLEY_NEW_ROOMS_PER_ADDRESS_PER_MINUTE=100000 \
    setsid java -Xmx512m -Djava.io.tmpdir="$RUN/node$i" -Dhazelcast.socket.bind.any=false \
      -jar target/payara-micro.jar --deploy target/parley.war --contextroot / \
      --port $((NODE_BASE + i)) --prebootcommandfile src/main/payara/preboot.asadmin \
      --clustermode "tcpip:$members" --startport $((GRID_BASE + i)) --interfaces 127.0.0.1 \
      --clustername parley-local --nohostaware > "$RUN/node$i.log" 2>&1 &
    echo "node$i $!" >> "$RUN/pids"
  done
  for i in $(seq 1 "$nodes"); do await_ready $((NODE_BASE + i)) "$nodes"; done

  write_haproxy_config "$nodes"
  if ! haproxy -f "$RUN/haproxy.cfg" -D -p "$RUN/haproxy.pid"; then
    echo "haproxy did not start" >&2
    stop
    exit 1
  fi
  echo "haproxy $(cat "$RUN/haproxy.pid")" >> "$RUN/pids"
  echo "Parley on $nodes nodes: http://127.0.0.1:$BALANCER_PORT/ (admin page /admin.html, user admin," \
       "password $admin_password); haproxy statistics http://127.0.0.1:$((BALANCER_PORT + 1))/"
}

await_ready() {
  local port=$1 nodes=$2
  for _ in $(seq 1 240); do
    if curl -fs "http://127.0.0.1:$port/health/ready" | grep -q "\"cluster\":\"$nodes nodes\""; then
      echo "node on $port ready, in a cluster of $nodes"
      return
    fi
    sleep 1
  done
  echo "node on $port not ready after 240 s; see $RUN/*.log" >&2
  stop
  exit 1
}

write_haproxy_config() {
  local nodes=$1
  {
    echo "global"
    echo "  # Two descriptors per proxied connection: within the usual open-file limit of 20,000."
    echo "  maxconn 9000"
    echo "defaults"
    echo "  mode http"
    echo "  timeout connect 5s"
    echo "  timeout client 60s"
    echo "  timeout server 60s"
    echo "  # An upgraded WebSocket lives as long as the chat: the client pings every 25 s."
    echo "  timeout tunnel 1h"
    echo "frontend chat"
    echo "  bind 127.0.0.1:$BALANCER_PORT"
    echo "  default_backend parley"
    echo "backend parley"
    echo "  balance leastconn"
    echo "  option httpchk GET /health/ready"
    echo "  default-server inter 1s fall 2 rise 2"
    for i in $(seq 1 "$nodes"); do echo "  server node$i 127.0.0.1:$((NODE_BASE + i)) check"; done
    echo "listen stats"
    echo "  bind 127.0.0.1:$((BALANCER_PORT + 1))"
    echo "  stats enable"
    echo "  stats uri /"
  } > "$RUN/haproxy.cfg"
}

stop() {
  [ -f "$RUN/pids" ] || { echo "nothing started"; return; }
  while read -r name pid; do
    case $name in
      postgres) stop_postgres ;;
      *) kill -TERM "$pid" 2>/dev/null || true ;;
    esac
  done < "$RUN/pids"
  while read -r name pid; do
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
    echo "stopped $name ($pid)"
  done < "$RUN/pids"
  rm -f "$RUN/pids"
}

status() {
  [ -f "$RUN/pids" ] || { echo "not running"; return; }
  while read -r name pid; do
    state=$(kill -0 "$pid" 2>/dev/null && echo running || echo gone)
    echo "$name pid $pid $state"
  done < "$RUN/pids"
  for port in $(grep -o 'server node[0-9]* 127.0.0.1:[0-9]*' "$RUN/haproxy.cfg" | cut -d: -f2); do
    echo "node $port: $(curl -s "http://127.0.0.1:$port/health/ready" || echo unreachable)"
  done
}

case ${1:-} in
  start) start "${2:-3}" ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: scripts/cluster.sh start [N] | status | stop" >&2; exit 2 ;;
esac
