#!/usr/bin/env bash
# Install PostgreSQL from Debian's packages (when missing) and start a throwaway cluster on
# loopback for the store tests. Prints the URL to export as SITREP_TEST_POSTGRES_URL, last line.
# Usage: eval "$(scripts/start_postgres.sh)"   (or: export SITREP_TEST_POSTGRES_URL=$(... | tail -1))
set -euo pipefail
PORT="${SITREP_PG_PORT:-54329}"
DIR="${SITREP_PG_DIR:-/tmp/sitrep-pg}"

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
        (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql) >&2
    else
        sudo sh -c 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql' >&2
    fi
fi
BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"

# initdb refuses to run as root: run the cluster as the postgres user (or the caller).
RUN_AS=()
OWNER="$(id -un)"
if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    RUN_AS=(su postgres -s /bin/sh -c)
    OWNER=postgres
fi
run() {
    if [ ${#RUN_AS[@]} -gt 0 ]; then "${RUN_AS[@]}" "$*"; else sh -c "$*"; fi
}

if [ ! -f "$DIR/data/PG_VERSION" ]; then
    mkdir -p "$DIR"
    chown "$OWNER" "$DIR"
    run "$BIN/initdb -D $DIR/data -U sitrep --auth=trust -E UTF8 --no-locale" >&2
fi
if ! run "$BIN/pg_ctl -D $DIR/data status" >/dev/null 2>&1; then
    run "$BIN/pg_ctl -D $DIR/data -l $DIR/log -w -o '-c listen_addresses=127.0.0.1 -p $PORT \
-k $DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off' start" >&2
fi
run "$BIN/psql -h 127.0.0.1 -p $PORT -U sitrep -d postgres -tAc \
\"SELECT 1 FROM pg_database WHERE datname='sitrep_test'\"" | grep -q 1 \
    || run "$BIN/createdb -h 127.0.0.1 -p $PORT -U sitrep sitrep_test" >&2
echo "export SITREP_TEST_POSTGRES_URL=postgresql+psycopg://sitrep@127.0.0.1:$PORT/sitrep_test"
