#!/bin/bash
# Stand-ins for the four public images docker-compose.yml names, built from Debian's own
# packages, for a machine that reaches Debian's mirror, PyPI and npm but not Docker Hub (as the
# development machines of this project). They are not the official images: each does only
# what the compose file asks of its image (docs/multinode.md, "On Docker without Docker Hub").
#
#   docker/standins/build.sh          # then: docker compose --profile multinode up --build
#
# Debian bookworm's base system comes from debootstrap (apt install debootstrap) and is
# imported once as local/bookworm:base.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if ! docker image inspect local/bookworm:base >/dev/null 2>&1; then
    rootfs=$(mktemp -d)
    debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian
    tar -C "$rootfs" -c . | docker import - local/bookworm:base
    rm -rf "$rootfs"
fi
# The machine's own certificate authorities (its egress proxy's, on these machines) are
# trusted in the Python image, so pip, uv and npm in the app's build reach their registries.
context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
mkdir "$context/local-ca"
cp /usr/local/share/ca-certificates/*.crt "$context/local-ca/" 2>/dev/null || true
docker build -q -t python:3.11-slim-bookworm -f "$here/python.Dockerfile" "$context"
docker build -q -t postgres:15 -f "$here/postgres.Dockerfile" "$here"
docker build -q -t redis:7 -f "$here/redis.Dockerfile" "$here"
docker build -q -t haproxy:2.8 -f "$here/haproxy.Dockerfile" "$here"
