#!/bin/bash
# The stand-in postgres:15's start (postgres.Dockerfile). With `postgres` as the command: as
# root, own the data directory and start again as postgres; on an empty data directory, create
# the cluster (UTF-8; trust or $POSTGRES_HOST_AUTH_METHOD from the network, listening on every
# address), the database $POSTGRES_DB, and run /docker-entrypoint-initdb.d/*.sh once against
# a server that only listens on its socket. Any other command runs as it is.
set -euo pipefail
if [ "${1:-}" = postgres ]; then
    if [ "$(id -u)" = 0 ]; then
        mkdir -p "$PGDATA" /var/run/postgresql
        chown -R postgres:postgres "$PGDATA" /var/run/postgresql
        chmod 700 "$PGDATA"
        exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
    fi
    if [ ! -s "$PGDATA/PG_VERSION" ]; then
        initdb --username=postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
            --pgdata="$PGDATA" >/dev/null
        echo "host all all all ${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}" >>"$PGDATA/pg_hba.conf"
        echo "listen_addresses = '*'" >>"$PGDATA/postgresql.conf"
        pg_ctl --pgdata="$PGDATA" --options="-c listen_addresses=''" --wait start >/dev/null
        export POSTGRES_USER=postgres POSTGRES_DB="${POSTGRES_DB:-postgres}"
        if [ "$POSTGRES_DB" != postgres ]; then
            createdb --username=postgres "$POSTGRES_DB"
        fi
        for script in /docker-entrypoint-initdb.d/*.sh; do
            if [ -e "$script" ]; then bash "$script"; fi
        done
        pg_ctl --pgdata="$PGDATA" --mode=fast --wait stop >/dev/null
    fi
fi
exec "$@"
