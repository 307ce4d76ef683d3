# Stand-in for redis:7 (build.sh): Debian's Redis 7.0, reachable from the compose network.
FROM local/bookworm:base
RUN apt-get update \
    && apt-get install -y --no-install-recommends redis-server \
    && rm -rf /var/lib/apt/lists/*
EXPOSE 6379
CMD ["redis-server", "--protected-mode", "no", "--bind", "0.0.0.0"]
