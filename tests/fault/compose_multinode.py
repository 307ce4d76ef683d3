"""docker-compose.yml's multinode profile, run on Docker: the users of `make multinode` through
the compose file's own HAProxy, nodes, workers, beats and streaming replica (issue 18).

Run with `make compose-multinode`. It needs a Docker daemon and Compose (`docker compose` or
`docker-compose`), and the four public images the compose file names; on a machine that cannot
reach Docker Hub, `docker/standins/build.sh` builds stand-ins from Debian's packages first
(the make target does so when a pull fails). Everything runs as its own Compose project on free
loopback ports, and `down --volumes` removes it at the end.

What runs is the compose file as it is (`--profile multinode`): `migrate`, web and web2 (three
gunicorn workers each) behind `proxy`, worker, pdf-worker and worker2, beat and beat2, db and
its pg_basebackup replica, redis. The settings the run passes are those the file reads from the
environment: the ports, the replica's address, a console mail backend (the workers print what
they send). Demo data is written by a one-off container of the same image in development mode,
with factory-boy added and the tests folder mounted, as `make multinode` writes it.

What the users do is `make multinode`'s (tests/fault/multinode.py): they sign in with both
factors, browse the front page, case list, meetings and statistics, upload an agenda attachment
and download it again (every byte compared), and an administrator publishes an ActionCard whose
PDF a worker renders. A first batch of reminders is sent by the beats and workers; then `web`,
`worker` and `pdf-worker` are killed (`docker kill`, SIGKILL), a second ActionCard is published
(only worker2 is left to render it) and a second batch of reminders created. It passes when no
user action failed outside the failover window, both nodes answered before the kill and web2
alone after it, both PDFs appeared, every reminder was sent exactly once, the replica streamed
from the primary and the statistics were read on it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests
from cryptography.fernet import Fernet

PROJECT_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_DIR))

from tests.fault.multinode import (  # noqa: E402 - after the path
    REMINDERS_PER_BATCH,
    TIMEOUT,
    USERNAMES,
    Run,
    action_summary,
    attachment_user,
    browsing_user,
    log,
    phase_table,
    publish,
)
from tests.fault.postgres_restart import free_port  # noqa: E402

REPLICA_READS_SQL = (
    "SELECT coalesce(sum(seq_scan + coalesce(idx_scan, 0)), 0) FROM pg_stat_user_tables"
    " WHERE relname IN ('cases_concern', 'cases_case')"
)


def _cookies_over_http(response: requests.Response, *args: object, **kwargs: object) -> None:
    """Drop `Secure` from the cookies a response sets, before the session stores them (also
    on each response of a redirect chain, which a session reads and answers on its own)."""
    message = response.raw._original_response.msg
    cookies = message.get_all("Set-Cookie") or []
    if cookies:
        del message["Set-Cookie"]
        for cookie in cookies:
            message["Set-Cookie"] = re.sub(r";\s*Secure\b", "", cookie, flags=re.IGNORECASE)


class _LoopbackSession(requests.Session):
    """A browser on the proxy's plain-HTTP loopback port: the production settings mark the
    session and CSRF cookies Secure (TLS ends in front of the proxy in a deployment), which a
    browser would not send back over http; this one does."""

    def __init__(self) -> None:
        super().__init__()
        self.hooks["response"].append(_cookies_over_http)


class ComposeRun(Run):
    """The users of `make multinode`, through the compose file's proxy."""

    def new_session(self) -> requests.Session:
        return _LoopbackSession()


class Compose:
    """The compose file with its multinode profile, as one Compose project (Compose v2's
    `docker compose`, or the older `docker-compose`)."""

    def __init__(self, project: str, env: dict[str, str]) -> None:
        self.docker = shutil.which("docker") or "docker"
        plugin = subprocess.run(  # noqa: S603 - a fixed command
            [self.docker, "compose", "version"], capture_output=True, check=False
        )
        self.command = (
            [self.docker, "compose"]
            if plugin.returncode == 0
            else [shutil.which("docker-compose") or "docker-compose"]
        )
        self.base = [*self.command, "-p", project, "--profile", "multinode"]
        self.env = env

    def __call__(self, *args: str, check: bool = True) -> str:
        result = subprocess.run(  # noqa: S603 - Compose with our own arguments, as a list
            [*self.base, *args],
            cwd=PROJECT_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if check and result.returncode != 0:
            raise RuntimeError(f"{' '.join(args[:3])}: {result.stderr.strip()[-2000:]}")
        return result.stdout

    def container(self, service: str) -> str:
        return self("ps", "-q", service).strip()

    def sql(self, service: str, query: str) -> str:
        return self(
            "exec", "-T", service, "psql", "-U", "postgres", "-d", "ssp", "-At", "-c", query
        ).strip()

    def one_off(self, *command: str, development: bool = False) -> str:
        """A command in a one-off container of the app's image, with the tests folder (the
        run's data helpers) mounted; in development mode, as root, to write the demo."""
        options = ["--user", "root", "-e", "SSP_ENVIRONMENT=development"] if development else []
        return self(
            "run", "--rm", "--no-deps", *options,
            "-v", f"{PROJECT_DIR / 'tests'}:/app/tests:ro", "web", *command,
        )  # fmt: skip

    def shell(self, code: str) -> dict:
        output = self.one_off("python", "manage.py", "shell", "-c", code)
        return json.loads(output.strip().splitlines()[-1])


def wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(2)
    raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")


def seed(compose: Compose) -> dict:
    """The demo and `make multinode`'s data, by a one-off container in development mode."""
    lock = (PROJECT_DIR / "uv.lock").read_text()
    version = re.search(r'name = "factory-boy"\nversion = "([^"]+)"', lock).group(1)
    script = (
        f"uv pip install --quiet --python /opt/venv/bin/python factory-boy=={version} && "
        "python manage.py seed_demo >/dev/null && python manage.py shell -c "
        "'from tests.fault.multinode_setup import setup; setup()'"
    )
    output = compose.one_off("sh", "-c", script, development=True)
    return json.loads(output.strip().splitlines()[-1])


def reminders(compose: Compose, batch: str) -> None:
    compose.shell(
        "from tests.fault.multinode_setup import reminders; import json; "
        f"print(json.dumps(reminders({batch!r}, {REMINDERS_PER_BATCH})))"
    )


def reminder_figures(compose: Compose, seconds: float) -> dict:
    """The reminders' statuses once none is waiting (at most `seconds`)."""
    deadline = time.monotonic() + seconds
    while True:
        figures = compose.shell(
            "from tests.fault.multinode_setup import reminder_figures; reminder_figures()"
        )
        waiting = figures["statuses"].get("pending", 0) + figures["statuses"].get("queued", 0)
        if waiting == 0 or time.monotonic() > deadline:
            return figures
        time.sleep(3)


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=float, default=30, help="seconds before the kill (30)")
    parser.add_argument("--after", type=float, default=45, help="seconds after the kill (45)")
    parser.add_argument("--grace", type=float, default=8, help="failover window, seconds (8)")
    parser.add_argument("--keep", action="store_true", help="leave the stack running")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    options = parse_arguments(argv)
    if shutil.which("docker") is None:
        print("FAIL: Docker is not installed.", file=sys.stderr)
        return 1
    ports = {name: str(free_port()) for name in ("DB", "REDIS", "WEB", "PROXY")}
    env = {
        **os.environ,
        **{f"SSP_{name}_PORT": port for name, port in ports.items()},
        "SECRET_KEY": secrets.token_urlsafe(40),
        "CPR_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "CPR_HASH_KEY": secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": "localhost,127.0.0.1,web,web2",
        "DATABASE_REPLICA_URL": "postgres://ssp_app@db-replica:5432/ssp",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    }
    compose = Compose(f"ssp-multinode-{os.getpid()}", env)
    passed = False
    try:
        log("docker compose --profile multinode up --build (the first build takes minutes)")
        compose("up", "-d", "--build")
        base_url = f"http://127.0.0.1:{ports['PROXY']}"
        wait_for(base_url + "/log-ind/", 300)
        log(f"up: {', '.join(sorted(compose('ps', '--services').split()))}")
        data = seed(compose)
        log("demo data and the run's drafts, agenda item and administrator written")
        passed = run_users(compose, base_url, data, options)
    except Exception as error:
        print(f"FAIL: {error}", file=sys.stderr)
        print(compose("logs", "--tail", "30", check=False)[-6000:], file=sys.stderr)
    finally:
        if not options.keep:
            compose("down", "--volumes", "--remove-orphans", check=False)
            log("cleaned up: the project's containers, network and volumes removed")
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


def run_users(compose: Compose, base_url: str, data: dict, options: argparse.Namespace) -> bool:
    streaming = compose.sql(
        "db", "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'"
    )
    in_recovery = compose.sql("db-replica", "SELECT pg_is_in_recovery()")
    log(f"replica: {streaming} streaming from the primary; in recovery: {in_recovery}")
    run_ = ComposeRun(base_url)
    threads = [
        threading.Thread(
            target=attachment_user,
            args=(run_, "konsulent@demo.ssp", data["meeting"], data["item"]),
            daemon=True,
        ),
        *(
            threading.Thread(target=browsing_user, args=(run_, email, "/statistik/"), daemon=True)
            # The consultant attaches files: one sign-in per login, so no two sign-ins race
            # for the same authenticator code (a code is accepted once).
            for email in USERNAMES
            if email != "konsulent@demo.ssp"
        ),
    ]
    for thread in threads:
        thread.start()
    admin_session, sign_in_nodes = run_.session(data["admin"])
    log(f"users signed in; the administrator's sign-in steps were answered by {sign_in_nodes}")
    reminders(compose, "a")
    publish(run_, admin_session, data["admin"], data["drafts"][0], data["codes"][0])
    first_batch = reminder_figures(compose, 120)
    replica_before = int(compose.sql("db-replica", REPLICA_READS_SQL))
    time.sleep(max(0.0, options.before - run_.now()))

    killed_at = run_.now()
    for service in ("web", "worker", "pdf-worker"):
        subprocess.run(  # noqa: S603 - a fixed command and a container id
            [compose.docker, "kill", compose.container(service)], capture_output=True, check=True
        )
    log(f"killed web, worker and pdf-worker at {killed_at:.1f} s (SIGKILL)")
    reminders(compose, "b")
    publish(run_, admin_session, data["admin"], data["drafts"][1], data["codes"][1])
    time.sleep(max(0.0, killed_at + options.after - run_.now()))
    run_.stopping.set()
    for thread in threads:
        thread.join(timeout=TIMEOUT + 5)
    ended = run_.now()
    figures = reminder_figures(compose, 120)
    replica_after = int(compose.sql("db-replica", REPLICA_READS_SQL))
    return report(
        run_, killed_at, options.grace, ended, first_batch, figures,
        (streaming, in_recovery, replica_after - replica_before),
    )  # fmt: skip


def report(
    run_: Run,
    killed_at: float,
    grace: float,
    ended: float,
    first_batch: dict,
    figures: dict,
    replica: tuple[str, str, int],
) -> bool:
    windows = [
        ("before the kill", 0.0, killed_at, True),
        ("failover window", killed_at, killed_at + grace, False),
        ("after failover (web, worker, pdf-worker dead)", killed_at + grace, ended + 1, True),
    ]
    passed, answered = phase_table(run_, windows, killed_at)
    if set(answered["before the kill"]) != {"web", "web2"}:
        print(f"FAIL: before the kill, not both nodes answered: {answered['before the kill']}")
        passed = False
    after = set(answered["after failover (web, worker, pdf-worker dead)"])
    if after != {"web2"}:
        print(f"FAIL: after the failover, answered by {after}, not web2 alone")
        passed = False
    kinds = action_summary(run_)
    if kinds["publish ActionCard + download PDF"] != 2:
        print("FAIL: not both ActionCards were published with their PDF.")
        passed = False
    expected = 2 * REMINDERS_PER_BATCH
    print(f"Reminders: the first batch {first_batch['statuses']} before the kill; "
          f"both batches {figures['statuses']}; reminder emails {figures['emails']}, "
          f"sent {figures['emails_sent']}.")  # fmt: skip
    if (
        figures["statuses"].get("sent", 0) != expected
        or figures["emails"] != expected
        or figures["emails_sent"] != expected
    ):
        print("FAIL: reminders lost or sent twice.")
        passed = False
    streaming, in_recovery, reads = replica
    print(f"Replica: {streaming} streaming, in recovery {in_recovery}; scans of the "
          f"statistics tables on it during the run: {reads}.")  # fmt: skip
    if streaming != "1" or in_recovery != "t" or reads <= 0:
        print("FAIL: the statistics were not read from a streaming replica.")
        passed = False
    return passed


if __name__ == "__main__":
    sys.exit(main())
