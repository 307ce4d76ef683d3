#!/bin/bash
# The multinode profile's streaming replica (docker-compose.yml, db-replica) copies the primary
# with pg_basebackup and follows it: allow replication connections from the compose network,
# with the same trust as the development stack's other connections.
set -e
echo "host replication all all ${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}" >> "$PGDATA/pg_hba.conf"
