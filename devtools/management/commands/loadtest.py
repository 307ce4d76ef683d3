"""`manage.py loadtest`: 50 simulated professionals against gunicorn on the scale data set.

Meant for a database filled by `seed_scale` (DATABASE_URL pointing at it). It gives the first
N scale users with a municipality a password and an authenticator app (two-factor login),
starts gunicorn on a free loopback port with DEBUG off (devtools/load/wsgi.py: the app plus one
trivial view), and runs locust headless: the realistic mix of devtools/load/locustfile.py (front
page, case list, case page, concern form and concerns, meetings) with people's pauses between
requests, for latency and errors under that load, once with the fifty sign-ins at the start
counted and once measured from when everyone has signed in; then, without pauses, the same mix
and the trivial view, for the most each can do. It prints throughput, median/p95/p99 and
errors of every run, and the ratio of the app's saturated throughput to the trivial view's.

With --nodes 2 (issue 18) it starts that many gunicorn nodes, each with --workers workers and a
PRIVATE_MEDIA_ROOT of its own, behind HAProxy (round robin, as in `make multinode`), and the
simulated users go through the proxy, so consecutive requests of one user alternate between
the nodes. The report adds the capacity: requests per second per core of the saturated run.
"""

from __future__ import annotations

import csv
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from ssp.models import User
from ssp.totp_secrets import totp_secret_encrypt

LOCUSTFILE = Path(settings.BASE_DIR) / "devtools" / "load" / "locustfile.py"
# How much longer a steady run lasts than the others: about the time fifty sign-ins take here.
SIGN_IN_ALLOWANCE_SECONDS = 30


HAPROXY_CONFIG = """
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    retries 3
    option redispatch 1
frontend web
    bind 127.0.0.1:{port}
    default_backend nodes
backend nodes
    balance roundrobin
{servers}
"""
# No active health check here: nothing is killed in this test, and with sync workers a check
# queues behind the fifty sign-ins (password hashing) like any request; HAProxy then took both
# nodes out after its check timeout and answered 503 (the first try). `make multinode`, which
# kills a node, checks every second with a 5 s timeout and three misses.


def _haproxy(port: int, nodes: list[int], tmp: Path) -> subprocess.Popen[bytes]:
    """HAProxy round robin over the nodes (Debian's package: `apt-get install haproxy`)."""
    if shutil.which("haproxy") is None:
        raise CommandError("--nodes needs HAProxy: apt-get install haproxy")
    servers = "\n".join(f"    server node{n} 127.0.0.1:{node}" for n, node in enumerate(nodes, 1))
    config = tmp / "haproxy.cfg"
    config.write_text(HAPROXY_CONFIG.format(port=port, servers=servers))
    proxy = subprocess.Popen(["haproxy", "-f", str(config), "-db"])  # noqa: S603, S607
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/load/trivial/", timeout=2):
                time.sleep(2.5)  # every node through the health check
                return proxy
        except OSError:
            time.sleep(0.3)
    proxy.terminate()
    raise CommandError("HAProxy did not answer")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Command(BaseCommand):
    help = "Load test: simulated users against gunicorn on the scale data (run after seed_scale)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--users", type=int, default=50)
        parser.add_argument("--spawn-rate", type=int, default=10)
        parser.add_argument("--seconds", type=int, default=60)
        parser.add_argument("--workers", type=int, default=4, help="gunicorn workers per node")
        parser.add_argument(
            "--nodes", type=int, default=1, help="gunicorn nodes; with 2 or more, behind HAProxy"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("loadtest refuses to run in production.")
        users = list(
            User.objects.filter(email__endswith="@scale.ssp", affiliations__isnull=False)
            .distinct()
            .order_by("pk")[: options["users"]]
        )
        if len(users) < options["users"]:
            raise CommandError("No scale data: run `manage.py seed_scale` on this database first.")
        password = secrets.token_urlsafe(16)  # for this run's simulated users only
        User.objects.filter(pk__in=[user.pk for user in users]).update(
            password=make_password(password)
        )
        # And an authenticator each, whose codes the simulated users compute (two-factor login).
        keys = {user.pk: random_hex(20) for user in users}
        TOTPDevice.objects.filter(user__in=users).delete()
        TOTPDevice.objects.bulk_create(
            TOTPDevice(
                user=user,
                name="Belastningstest",
                key=totp_secret_encrypt(keys[user.pk]),
                confirmed=True,
            )
            for user in users
        )
        with tempfile.TemporaryDirectory() as tmp:
            credentials = Path(tmp) / "users.txt"
            credentials.write_text(
                "".join(f"{user.email} {password} {keys[user.pk]}\n" for user in users)
            )
            servers: list[subprocess.Popen[bytes]] = []
            ports: list[int] = []
            for node in range(options["nodes"]):
                node_port = _free_port()
                media = Path(tmp) / f"node{node + 1}-disk"
                media.mkdir()
                log = Path(tmp) / f"gunicorn{node + 1}.log"
                servers.append(self._gunicorn(node_port, options["workers"], log, media))
                ports.append(node_port)
            if options["nodes"] > 1:
                port = _free_port()
                servers.append(_haproxy(port, ports, Path(tmp)))
            else:
                port = ports[0]
            try:
                results = {
                    name: self._locust(
                        port, user_class, credentials, Path(tmp) / name, options, saturate, steady
                    )
                    for name, user_class, saturate, steady in (
                        ("app", "Professional", False, False),
                        ("app, all signed in", "Professional", False, True),
                        ("app, saturated", "Professional", True, True),
                        ("trivial, saturated", "TrivialView", True, False),
                    )
                }
            finally:
                for server in servers:
                    server.terminate()
                    server.wait(timeout=30)
        self._report(results, options)

    def _gunicorn(self, port: int, workers: int, log: Path, media: Path) -> subprocess.Popen[bytes]:
        env = {
            **os.environ,
            "DEBUG": "false",
            "DJANGO_SETTINGS_MODULE": "ssp.settings",
            "PRIVATE_MEDIA_ROOT": str(media),
        }
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "devtools.load.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--error-logfile",
            str(log),
        ]
        server = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env)  # noqa: S603
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/load/trivial/", timeout=2):
                    return server
            except OSError:
                time.sleep(0.3)
        server.terminate()
        raise CommandError(f"gunicorn did not start:\n{log.read_text() if log.exists() else ''}")

    def _locust(
        self,
        port: int,
        user_class: str,
        credentials: Path,
        prefix: Path,
        options: dict,
        saturate: bool,
        steady: bool,
    ) -> dict[str, str]:
        # A steady run measures from when every user has signed in, for about as long.
        seconds = options["seconds"] + (SIGN_IN_ALLOWANCE_SECONDS if steady else 0)
        command = [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(LOCUSTFILE),
            user_class,
            "--headless",
            "--users",
            str(options["users"]),
            "--spawn-rate",
            str(options["spawn_rate"]),
            "--run-time",
            f"{seconds}s",
            "--host",
            f"http://127.0.0.1:{port}",
            "--csv",
            str(prefix),
            "--only-summary",
        ]
        env = {
            **os.environ,
            "LOADTEST_USERS_FILE": str(credentials),
            "LOADTEST_SATURATE": "1" if saturate else "0",
            "LOADTEST_STEADY": "1" if steady else "0",
            "LOADTEST_USERS": str(options["users"]),
        }
        subprocess.run(command, cwd=settings.BASE_DIR, env=env, check=False)  # noqa: S603
        with Path(f"{prefix}_stats.csv").open() as stats:
            rows = list(csv.DictReader(stats))
        return {row["Name"]: row for row in rows}  # type: ignore[misc]

    def _report(self, results: dict[str, dict], options: dict) -> None:
        self.stdout.write(
            f"{options['users']} users, {options['seconds']} s each run, "
            f"{options['nodes']} node(s) × {options['workers']} gunicorn workers"
            + (" behind HAProxy" if options["nodes"] > 1 else "")
        )
        self.stdout.write(
            "| run | request | requests | failures | req/s | p50 ms | p95 ms | p99 ms |"
        )
        self.stdout.write("|---|---|---|---|---|---|---|---|")
        for run, rows in results.items():
            for name, row in rows.items():
                self.stdout.write(
                    f"| {run} | {name} | {row['Request Count']} | {row['Failure Count']} "
                    f"| {float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} "
                    f"| {row['99%']} |"
                )
        app = self._pages_per_second(results["app, saturated"])
        trivial = float(results["trivial, saturated"]["Aggregated"]["Requests/s"])
        self.stdout.write(
            f"Throughput of the app's pages (sign-in left out) against the trivial view: "
            f"{app:.1f} / {trivial:.1f} req/s = {app / trivial:.0%}"
        )
        cores = os.cpu_count() or 1
        steady = results["app, all signed in"]["Aggregated"]
        self.stdout.write(
            f"Capacity: {app / cores:.1f} req/s per core saturated ({cores} cores, app, load "
            f"generator and database on the same machine); with people's pauses p95 "
            f"{steady['95%']} ms at {float(steady['Requests/s']):.1f} req/s "
            f"({float(steady['Requests/s']) / cores:.1f} per core)"
        )

    @staticmethod
    def _pages_per_second(rows: dict[str, dict]) -> float:
        """Requests per second of the working pages: signing in happens once per simulated
        user and is slow on purpose (password hashing), so it is not part of the mix."""
        return sum(
            float(row["Requests/s"])
            for name, row in rows.items()
            if name not in ("Aggregated", "log in", "log in: code", "login form")
        )
