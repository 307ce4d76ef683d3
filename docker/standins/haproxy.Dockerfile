# Stand-in for haproxy:2.8 (build.sh): Debian's HAProxy 2.6 with the configuration where the
# official image reads it.
FROM local/bookworm:base
RUN apt-get update \
    && apt-get install -y --no-install-recommends haproxy \
    && rm -rf /var/lib/apt/lists/*
STOPSIGNAL SIGUSR1
CMD ["haproxy", "-W", "-db", "-f", "/usr/local/etc/haproxy/haproxy.cfg"]
