#!/bin/sh
# Runs once, when the compose file's PostgreSQL starts on an empty volume: the app's two roles
# (docs/security.md, "Database roles"). The owner owns the database and so its schema; the
# runtime role owns nothing and gets its grants from `manage.py migrate`.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<SQL
CREATE ROLE ssp_owner LOGIN;
CREATE ROLE ssp_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
ALTER DATABASE "$POSTGRES_DB" OWNER TO ssp_owner;
SQL
