"""Fault test: PostgreSQL restarts under load, and the app recovers without a restart of its own.

Run with `make fault-postgres` (or `.venv/bin/python tests/fault/postgres_restart.py`).

It builds a throw-away PostgreSQL cluster with the machine's own binaries on a free port (the
shared server on 5432 is never touched), migrates and seeds the demo into it, starts the app
under gunicorn (2 workers) against it, and drives signed-in load from a few threads. While the
load runs it restarts the cluster with `pg_ctl restart -m fast`, which ends every open
connection, as a failover or a package upgrade would. It then keeps the load going and checks
that, from a short grace period after PostgreSQL accepts connections again, every request
answers 200, with the same gunicorn processes. Errors while the database is down are expected;
they are counted and reported, not hidden.

Then it pauses the load, restarts PostgreSQL once more while the app is idle, and resumes:
now every worker holds a connection PostgreSQL has closed, and the very first request must
already answer 200. This is the half that fails without `CONN_HEALTH_CHECKS`
(ssp/settings.py), which notices a closed persistent connection at the start of a request and
replaces it; under load the requests that fail while the database is down discard the broken
connections anyway, so the first half passes with or without it.

The script exits 1 if any request fails before the first restart, after recovery or after the
idle restart, and cleans up (gunicorn, the cluster and its directory) even when it fails or is
interrupted.

It is a script, not a pytest test: it takes half a minute and starts real servers. It lives
outside `tests/`, so pytest never collects it.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import glob
import http.client
import http.cookiejar
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django_otp.oath import TOTP

PROJECT_DIR = Path(__file__).resolve().parents[2]
# Each load thread signs in as another demo login (their authenticators share the demo secret).
USERNAMES = (
    "konsulent@demo.ssp",
    "leder@demo.ssp",
    "politi@demo.ssp",
    "politi2@demo.ssp",
    "social@demo.ssp",
    "klub@demo.ssp",
    "admin@demo.ssp",
)
PASSWORD = "demo"
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
CODE_PATH = "/log-ind/kode/"
SIGNED_IN_PATHS = ("/", "/sager/", "/moeder/")
LOGIN_PATH = "/log-ind/"
DATABASE_NAME = "ssp_fault"
REQUEST_TIMEOUT = 10.0


def log(message: str) -> None:
    """Progress lines, flushed so `make` shows them while the test runs."""
    print(f"[fault-postgres] {message}", flush=True)


def _demo_code(username: str, last_steps: dict[str, int]) -> str:
    """The demo authenticator's code for a 30-second step this login has not used yet (a code
    is accepted once); waits for the next step when the next one is still too far ahead."""
    totp = TOTP(base64.b32decode(DEMO_TOTP_SECRET))
    step = int(time.time()) // 30
    wanted = max(step, last_steps.get(username, -1) + 1)
    if wanted > step + 1:  # beyond the one step of tolerance: wait for the clock
        time.sleep((wanted - 1) * 30 - time.time() + 0.1)
    last_steps[username] = wanted
    totp.time = wanted * 30 + 1
    return f"{totp.token():06d}"


def free_port() -> int:
    """A loopback port nobody listens on now (the OS picks it, so parallel runs do not clash)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run(command: Sequence[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """Run one of our fixed commands; a failure stops the test with the command's own output."""
    result = subprocess.run(  # noqa: S603 - fixed programs, arguments as a list
        list(command), text=True, capture_output=True, check=False, **kwargs
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} exited with {result.returncode}:\n{result.stdout}{result.stderr}"
        )
    return result


# ---- The throw-away PostgreSQL cluster ------------------------------------------------------


class Cluster:
    """A PostgreSQL cluster in a temporary directory, on its own port, with trust auth.

    PostgreSQL refuses to run as root, so when the script runs as root the cluster's commands
    run as the `postgres` system user, who then owns the directory.
    """

    def __init__(self, bin_dir: Path, workdir: Path) -> None:
        self.bin_dir = bin_dir
        self.data_dir = workdir / "data"
        self.log_file = workdir / "postgres.log"
        self.socket_dir = workdir
        self.port = free_port()
        self.started = False
        self.run_as: dict[str, Any] = {}
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(workdir, owner.pw_uid, owner.pw_gid)
            self.run_as = {"user": owner.pw_uid, "group": owner.pw_gid, "extra_groups": []}

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{DATABASE_NAME}"

    def _pg(self, program: str, *args: str) -> subprocess.CompletedProcess[str]:
        return run([str(self.bin_dir / program), *args], **self.run_as)

    def _pg_ctl(self, action: str, *args: str) -> None:
        self._pg("pg_ctl", action, "-D", str(self.data_dir), "-w", "-t", "60", *args)

    def create_and_start(self) -> None:
        self._pg("initdb", "-D", str(self.data_dir), "-U", "postgres", "--auth=trust")
        self._pg_ctl(
            "start",
            "-l",
            str(self.log_file),
            "-o",
            f"-p {self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.socket_dir}",
        )
        self.started = True
        self._pg("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                 DATABASE_NAME)  # fmt: skip

    def restart(self) -> None:
        """`-m fast` ends every session at once; `-w` returns when connections are accepted.

        `-l` again: without it the new server writes to pg_ctl's output, which `run` reads
        to its end, and that end never comes while the server lives.
        """
        self._pg_ctl("restart", "-m", "fast", "-l", str(self.log_file))
        self._pg("pg_isready", "-h", "127.0.0.1", "-p", str(self.port), "-t", "10")

    def stop(self) -> None:
        if self.started:
            self._pg_ctl("stop", "-m", "immediate")
            self.started = False


def postgres_bin_dir(explicit: str | None) -> Path:
    """The newest installed PostgreSQL's binaries, unless one is named."""
    if explicit:
        return Path(explicit)
    candidates = sorted(
        (Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin")),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if not candidates:
        raise RuntimeError("No /usr/lib/postgresql/*/bin found; pass --pg-bin.")
    return candidates[-1]


# ---- The app under gunicorn -----------------------------------------------------------------


class App:
    """The app under gunicorn with 2 workers, as it runs in production, on a loopback port."""

    def __init__(self, env: dict[str, str], log_file: Path) -> None:
        self.env = env
        self.log_file = log_file
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        with self.log_file.open("wb") as output:
            self.process = subprocess.Popen(  # noqa: S603 - our own fixed command
                [str(gunicorn), "ssp.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
                 "--workers", "2", "--graceful-timeout", "5"],
                cwd=PROJECT_DIR,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(self.base_url + LOGIN_PATH, timeout=2) as response,  # noqa: S310 - our own http URL
            ):
                if response.status == 200:
                    return
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def pids(self) -> tuple[int, list[int]]:
        """The master's pid and its workers' pids, to show no process was replaced."""
        if self.process is None:
            raise RuntimeError("gunicorn is not running")
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children")
        workers = sorted(int(child) for child in children.read_text().split())
        return pid, workers

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)

    def log_tail(self, lines: int = 30) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        return ""


# ---- The load -------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer to count, not to follow: a 302 to the login page means the
    session was lost, and that is a failure, not a success."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@dataclass(frozen=True)
class Outcome:
    """One request: when it started and finished (seconds since the load began), what, and how
    it ended."""

    started: float
    finished: float
    path: str
    result: str  # "200", another status code, or the connection error's class name

    @property
    def ok(self) -> bool:
        return self.result == "200"


@dataclass
class Load:
    """Threads that each hold one signed-in session and one anonymous browser, and loop over
    the login page and the consultant's dashboard, case list and meetings until stopped.

    The load can be paused, so PostgreSQL can also be restarted while the app sits idle.
    """

    base_url: str
    threads: int
    outcomes: list[Outcome] = field(default_factory=list)
    _stopping: threading.Event = field(default_factory=threading.Event)
    _running: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _in_flight: int = 0
    _workers: list[threading.Thread] = field(default_factory=list)
    _origin: float = 0.0

    def now(self) -> float:
        return time.monotonic() - self._origin

    def start(self) -> None:
        openers = [(self._opener(), self._opener()) for _ in range(self.threads)]
        last_steps: dict[str, int] = {}
        for index, (signed_in, _anonymous) in enumerate(openers):
            self._log_in(signed_in, USERNAMES[index % len(USERNAMES)], last_steps)
        self._origin = time.monotonic()
        self._running.set()
        for signed_in, anonymous in openers:
            worker = threading.Thread(target=self._loop, args=(signed_in, anonymous), daemon=True)
            worker.start()
            self._workers.append(worker)

    def pause(self) -> None:
        """Stop sending and wait until no request is in flight."""
        self._running.clear()
        deadline = time.monotonic() + REQUEST_TIMEOUT + 5
        while time.monotonic() < deadline:
            with self._lock:
                if self._in_flight == 0:
                    return
            time.sleep(0.01)
        raise RuntimeError("requests were still in flight after the load was paused")

    def resume(self) -> None:
        self._running.set()

    def stop(self) -> None:
        self._stopping.set()
        self._running.set()
        for worker in self._workers:
            worker.join(timeout=REQUEST_TIMEOUT + 5)

    @staticmethod
    def _opener() -> urllib.request.OpenerDirector:
        jar = http.cookiejar.CookieJar()
        return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)

    def _log_in(
        self, opener: urllib.request.OpenerDirector, username: str, last_steps: dict[str, int]
    ) -> None:
        """Sign in as a person does: the password form, then the authenticator's code, each
        posted back with its CSRF token."""
        location = self._post_form(opener, LOGIN_PATH, {"username": username, "password": PASSWORD})
        if location != CODE_PATH:
            raise RuntimeError(f"the password step for {username} led to {location}")
        location = self._post_form(opener, CODE_PATH, {"code": _demo_code(username, last_steps)})
        if LOGIN_PATH in location:
            raise RuntimeError(f"the code for {username} was refused")

    def _post_form(
        self, opener: urllib.request.OpenerDirector, path: str, fields: dict[str, str]
    ) -> str:
        """Fetch the form at `path`, post `fields` with its CSRF token; the redirect target."""
        with opener.open(self.base_url + path, timeout=REQUEST_TIMEOUT) as response:
            page = response.read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if token is None:
            raise RuntimeError(f"the page {path} has no CSRF token")
        form = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token.group(1)}).encode()
        request = urllib.request.Request(  # noqa: S310 - our own http URL
            self.base_url + path, data=form, headers={"Referer": self.base_url + path}
        )
        try:
            opener.open(request, timeout=REQUEST_TIMEOUT)
        except urllib.error.HTTPError as answer:
            if answer.code == 302:
                return answer.headers.get("Location") or ""
            raise RuntimeError(f"posting {path} answered {answer.code}") from answer
        raise RuntimeError(f"posting {path} did not redirect (the form came back)")

    def _loop(
        self, signed_in: urllib.request.OpenerDirector, anonymous: urllib.request.OpenerDirector
    ) -> None:
        steps = [(anonymous, LOGIN_PATH)] + [(signed_in, path) for path in SIGNED_IN_PATHS]
        while not self._stopping.is_set():
            for opener, path in steps:
                self._running.wait()
                with self._lock:
                    if not self._running.is_set() or self._stopping.is_set():
                        break
                    self._in_flight += 1
                started = self.now()
                result = self._request(opener, path)
                with self._lock:
                    self._in_flight -= 1
                    self.outcomes.append(Outcome(started, self.now(), path, result))
                if result != "200":
                    time.sleep(0.05)  # do not spin on a refused connection

    def _request(self, opener: urllib.request.OpenerDirector, path: str) -> str:
        try:
            with opener.open(self.base_url + path, timeout=REQUEST_TIMEOUT) as response:
                response.read()
                return str(response.status)
        except urllib.error.HTTPError as answer:
            return str(answer.code)
        except (OSError, http.client.HTTPException) as error:
            return type(error).__name__


# ---- The test -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Phase:
    """A window of the run, in seconds since the load began; a request belongs to the phase
    it started in, except that one still in flight when a restart is issued belongs to the
    restart (PostgreSQL ends its session under it)."""

    label: str
    start: float
    end: float
    must_succeed: bool


def phase_of(outcome: Outcome, phases: list[Phase]) -> Phase:
    for phase in phases:
        if outcome.started < phase.end:
            if phase.must_succeed and outcome.finished >= phase.end:
                continue  # overlapped the restart that ends this phase
            return phase
    return phases[-1]


def report(outcomes: list[Outcome], phases: list[Phase]) -> bool:
    """Print the figures; True when every request in every must-succeed phase answered 200."""
    by_phase: dict[str, list[Outcome]] = {phase.label: [] for phase in phases}
    for outcome in outcomes:
        by_phase[phase_of(outcome, phases).label].append(outcome)

    print()
    print("| phase | window (s) | requests | 200 | failed | failures | must all be 200 |")
    print("|---|---|---|---|---|---|---|")
    passed = True
    for phase in phases:
        items = by_phase[phase.label]
        failed = [o for o in items if not o.ok]
        kinds: dict[str, int] = {}
        for outcome in failed:
            kinds[outcome.result] = kinds.get(outcome.result, 0) + 1
        summary = ", ".join(f"{count} × {kind}" for kind, count in sorted(kinds.items())) or "–"
        print(
            f"| {phase.label} | {phase.start:.1f}–{phase.end:.1f} | {len(items)} "
            f"| {len(items) - len(failed)} | {len(failed)} | {summary} "
            f"| {'yes' if phase.must_succeed else 'no'} |"
        )
        if phase.must_succeed and (failed or not items):
            passed = False
    print()
    for phase in phases:
        items = by_phase[phase.label]
        if phase.must_succeed and not items:
            print(f"FAIL: no request ran in “{phase.label}”.")
        for outcome in [o for o in items if not o.ok and phase.must_succeed][:10]:
            print(
                f"FAIL in “{phase.label}”: GET {outcome.path} at {outcome.started:.2f} s "
                f"→ {outcome.result}"
            )
    return passed


def app_environment(cluster: Cluster) -> dict[str, str]:
    """The environment as configured, pointed at the throw-away cluster.

    The cache key prefix is the run's own so the sessions it caches never meet another run's;
    Redis URLs and DATABASE_CONN_MAX_AGE come from the caller's environment or the defaults.
    """
    env = dict(os.environ)
    env["DATABASE_URL"] = cluster.url
    env["CACHE_KEY_PREFIX"] = f"{env.get('CACHE_KEY_PREFIX', 'ssp')}-fault-pg-{os.getpid()}"
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=4, help="load threads (default 4)")
    parser.add_argument(
        "--before", type=float, default=5.0, help="seconds of load before the restart (5)"
    )
    parser.add_argument(
        "--after", type=float, default=10.0, help="seconds of load after PostgreSQL is back (10)"
    )
    parser.add_argument(
        "--grace",
        type=float,
        default=3.0,
        help="seconds after PostgreSQL accepts connections before every request must succeed (3)",
    )
    parser.add_argument(
        "--idle-after",
        type=float,
        default=5.0,
        help="seconds of load after the second restart, made while the app is idle (5)",
    )
    parser.add_argument("--pg-bin", help="PostgreSQL's bin directory (default: newest installed)")
    return parser.parse_args(argv)


@contextlib.contextmanager
def terminated_cleanly() -> Iterator[None]:
    """Turn SIGTERM into SystemExit, so `finally` blocks clean up when the run is stopped."""

    def _exit(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, _exit)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def restart(cluster: Cluster, load: Load) -> tuple[float, float]:
    """Restart PostgreSQL; return when it was issued and when connections were accepted again."""
    issued = load.now()
    log("pg_ctl restart -m fast")
    cluster.restart()
    accepting = load.now()
    log(f"PostgreSQL accepts connections again after {accepting - issued:.1f} s")
    return issued, accepting


def exercise(cluster: Cluster, app: App, options: argparse.Namespace) -> bool:
    """The two restarts and the report; True when the app recovered both times."""
    pids_before = app.pids()
    conn_max_age = app.env.get("DATABASE_CONN_MAX_AGE", "60 (default)")
    log(
        f"gunicorn on {app.base_url}, master {pids_before[0]}, workers {pids_before[1]}; "
        f"DATABASE_CONN_MAX_AGE={conn_max_age}"
    )
    load = Load(app.base_url, options.threads)
    try:
        load.start()
        log(f"{options.threads} threads signed in as demo logins; load running")
        time.sleep(options.before)

        # 1. Under load: requests in flight fail while PostgreSQL is down, and must not after.
        issued, accepting = restart(cluster, load)
        time.sleep(options.after)

        # 2. While idle: every worker holds a connection PostgreSQL has closed, and the very
        # first request on it must already succeed. Under load the failing requests of the
        # down time have discarded those connections; here only the health check does.
        load.pause()
        paused = load.now()
        time.sleep(1)
        _idle_issued, resumed = restart(cluster, load)
        load.resume()
        time.sleep(options.idle_after)
    finally:
        load.stop()
    end = load.now()

    recovered_from = accepting + options.grace
    phases = [
        Phase("before the restart", 0.0, issued, must_succeed=True),
        Phase("restart under load (PostgreSQL down)", issued, accepting, must_succeed=False),
        Phase("grace after it accepts again", accepting, recovered_from, must_succeed=False),
        Phase("after recovery", recovered_from, paused, must_succeed=True),
        Phase("after a restart while idle", resumed, end, must_succeed=True),
    ]
    print()
    print(
        textwrap.fill(
            f"Restart under load issued at {issued:.1f} s; PostgreSQL accepted connections "
            f"again at {accepting:.1f} s ({accepting - issued:.1f} s later). Every request must "
            f"succeed from {recovered_from:.1f} s ({options.grace:.0f} s grace). Load paused at "
            f"{paused:.1f} s, PostgreSQL restarted again, load resumed at {resumed:.1f} s with "
            "no grace.",
            width=95,
        )
    )
    passed = report(load.outcomes, phases)
    pids_after = app.pids()
    same = pids_after == pids_before
    print(
        f"gunicorn master {pids_after[0]}, workers {pids_after[1]}: "
        + ("the same processes throughout." if same else "PROCESSES CHANGED.")
    )
    return passed and same


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_arguments(argv)
    workdir = Path(tempfile.mkdtemp(prefix="ssp-fault-pg-"))
    cluster: Cluster | None = None
    app: App | None = None
    passed = False
    with terminated_cleanly():
        try:
            cluster = Cluster(postgres_bin_dir(options.pg_bin), workdir)
            log(f"PostgreSQL cluster from {cluster.bin_dir} on 127.0.0.1:{cluster.port}")
            cluster.create_and_start()
            env = app_environment(cluster)
            for command in (["migrate", "--no-input"], ["seed_demo"]):
                log(f"manage.py {' '.join(command)}")
                run([sys.executable, "manage.py", *command], cwd=PROJECT_DIR, env=env)
            app = App(env, workdir / "gunicorn.log")
            app.start()
            passed = exercise(cluster, app, options)
        except Exception as error:  # report, clean up and exit non-zero
            print(f"FAIL: {error}", file=sys.stderr)
            passed = False
        finally:
            if app is not None:
                if not passed:
                    print("--- gunicorn log (last lines) ---\n" + app.log_tail(), file=sys.stderr)
                app.stop()
            if cluster is not None:
                with contextlib.suppress(Exception):
                    cluster.stop()
            shutil.rmtree(workdir, ignore_errors=True)
            log("cleaned up: gunicorn stopped, cluster stopped and deleted")
    print("PASS: every request succeeded after recovery." if passed else "FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
