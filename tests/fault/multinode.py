"""Multi-node proof: two web nodes behind HAProxy, two Celery workers, two beats, a streaming
replica; one web node and one worker are killed mid-run (issue 18).

Run with `make multinode` (or `.venv/bin/python tests/fault/multinode.py`). It needs HAProxy
(`make multinode` installs Debian's package when it is missing) and the machine's PostgreSQL
binaries; it touches nothing shared: its own primary cluster and a replica made from it with
`pg_basebackup -R` (streaming), each on a free port, its own Redis key prefix and Celery
exchange, and a temporary folder for everything, removed at the end.

What runs:
- gunicorn node 1 and node 2 (2 workers each), each with a PRIVATE_MEDIA_ROOT of its own, so
  a file one node wrote and the other served did not pass through a shared disk; both read
  statistics from the replica (DATABASE_REPLICA_URL);
- HAProxy in front, round robin, health-checked, so consecutive requests of one signed-in
  user alternate between the nodes (each answer names its node in X-SSP-Node);
- two Celery workers (default and pdf queues) and two beat processes, on one broker.

What the users do, through the proxy: sign in with both factors (the password on one node,
the code on the other), open the front page, the case list and meetings; the consultant
uploads an agenda attachment and downloads it again (checking every byte); an administrator
publishes an ActionCard and downloads its PDF once a worker has rendered it; the statistics
page and its CSV export are read. Meanwhile the run creates a batch of due reminders; the beats
dispatch them every minute.

After a while node 1 is killed (SIGKILL, its whole process group) and so is worker 1; the
users go on, a second ActionCard is published and a second batch of reminders created. The run
passes when: no user action failed after the failover window (HAProxy's health check takes
node 1 out within about two seconds; requests in flight at the kill are counted, not hidden);
every reminder was sent exactly once (reminders in PostgreSQL, claimed with SKIP LOCKED, so
two beats and a killed worker neither double nor lose any); statistics were served from the
replica while it followed (its own scan counters rose), not while its replay was paused past
DATABASE_REPLICA_MAX_LAG_SECONDS (5 s here; the counters stood still), and still served, from
the primary, with the replica stopped.

It is a script, not a pytest test: it takes two to three minutes and starts real servers.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path
from typing import Any

import requests

PROJECT_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_DIR))

from tests.fault.postgres_restart import (  # noqa: E402 - after the path
    DATABASE_NAME,
    PASSWORD,
    Cluster,
    _demo_code,
    free_port,
    postgres_bin_dir,
    run,
    terminated_cleanly,
)

USERNAMES = ("konsulent@demo.ssp", "leder@demo.ssp", "politi@demo.ssp", "social@demo.ssp")
TIMEOUT = 15.0
REMINDERS_PER_BATCH = 40


def log(message: str) -> None:
    print(f"[multinode] {message}", flush=True)


# ---- Processes --------------------------------------------------------------------------------


@dataclass
class Process:
    name: str
    command: list[str]
    env: dict[str, str]
    log_file: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log_file.open("wb") as output:
            self.process = subprocess.Popen(  # noqa: S603 - our own fixed commands
                self.command,
                cwd=PROJECT_DIR,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill(self) -> None:
        """SIGKILL to the whole group: a node or worker that dies, not one that stops."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()

    def tail(self, lines: int = 20) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        return ""


def wait_for_http(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(requests.RequestException):
            if requests.get(url, timeout=2, allow_redirects=False).status_code == 200:
                return
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")


class Replica:
    """A streaming replica of the primary: `pg_basebackup -R` writes standby.signal and the
    primary's address, so it follows the primary from the start."""

    def __init__(self, primary: Cluster, workdir: Path) -> None:
        self.primary = primary
        self.data_dir = workdir / "replica"
        self.log_file = workdir / "replica.log"
        self.port = free_port()
        self.started = False

    def _pg(self, program: str, *args: str) -> subprocess.CompletedProcess[str]:
        return run([str(self.primary.bin_dir / program), *args], **self.primary.run_as)

    def create_and_start(self) -> None:
        self._pg("pg_basebackup", "-h", "127.0.0.1", "-p", str(self.primary.port),
                 "-U", "postgres", "-D", str(self.data_dir), "-R", "-X", "stream")  # fmt: skip
        self.start()

    def start(self) -> None:
        self._pg("pg_ctl", "start", "-D", str(self.data_dir), "-w", "-t", "60",
                 "-l", str(self.log_file),
                 "-o", f"-p {self.port} -c listen_addresses=127.0.0.1 "
                 f"-c unix_socket_directories={self.data_dir.parent}")  # fmt: skip
        self.started = True

    def stop(self) -> None:
        if self.started:
            self._pg("pg_ctl", "stop", "-D", str(self.data_dir), "-m", "fast", "-w")
            self.started = False

    def sql(self, query: str) -> str:
        return self._pg("psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                        "-d", DATABASE_NAME, "-At", "-c", query).stdout.strip()  # fmt: skip

    def figure_reads(self) -> int:
        """Scans of the statistics' tables on the replica (its own counters: a standby counts
        the reads made on it)."""
        return int(
            self.sql(
                "SELECT coalesce(sum(seq_scan + coalesce(idx_scan, 0)), 0) FROM pg_stat_user_tables"
                " WHERE relname IN ('cases_concern', 'cases_case')"
            )
        )


HAPROXY_CONFIG = """
global
    maxconn 1024
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout check 5s
    retries 3
    option redispatch 1
    option http-buffer-request
    retry-on conn-failure empty-response response-timeout
frontend web
    bind 127.0.0.1:{port}
    default_backend nodes
backend nodes
    balance roundrobin
    option httpchk GET /log-ind/
    http-response set-header X-SSP-Node %s
    server node1 127.0.0.1:{node1} check inter 1s fall 3 rise 2
    server node2 127.0.0.1:{node2} check inter 1s fall 3 rise 2
"""


# ---- The users ------------------------------------------------------------------------------


@dataclass
class Action:
    """One user action (a page, an upload and its download, a publication and its PDF)."""

    who: str
    what: str
    started: float
    finished: float
    ok: bool
    detail: str = ""
    nodes: tuple[str, ...] = ()


@dataclass
class Run:
    base_url: str
    origin: float = field(default_factory=time.monotonic)
    actions: list[Action] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)
    totp_steps: dict[str, int] = field(default_factory=dict)

    def now(self) -> float:
        return time.monotonic() - self.origin

    def record(self, action: Action) -> None:
        with self.lock:
            self.actions.append(action)

    def session(self, email: str) -> tuple[requests.Session, list[str]]:
        """Sign in as a person does (the password, then the authenticator's code, each posted
        with its form's CSRF token); returns the session and the nodes that answered."""
        session = self.new_session()
        nodes = []
        for path, expect in (("/log-ind/", "/log-ind/kode/"), ("/log-ind/kode/", None)):
            page = session.get(self.base_url + path, timeout=TIMEOUT)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
            if token is None:
                raise RuntimeError(f"{path} has no CSRF token for {email}")
            if expect is not None:
                fields = {"username": email, "password": PASSWORD}
            else:
                with self.lock:
                    fields = {"code": _demo_code(email, self.totp_steps)}
            answer = session.post(
                self.base_url + path,
                data={**fields, "csrfmiddlewaretoken": token.group(1)},
                headers={"Referer": self.base_url + path},
                timeout=TIMEOUT,
                allow_redirects=False,
            )
            nodes += [page.headers.get("X-SSP-Node", "?"), answer.headers.get("X-SSP-Node", "?")]
            location = answer.headers.get("Location", "")
            if answer.status_code != 302 or (
                location != expect if expect else location.startswith("/log-ind/")
            ):
                raise RuntimeError(f"signing in {email} at {path}: {answer.status_code} {location}")
        return session, nodes

    def new_session(self) -> requests.Session:
        """A browser's session (its cookie jar)."""
        return requests.Session()

    def act(self, who: str, what: str, step: Any) -> Any:
        started = self.now()
        try:
            result, nodes = step()
        except Exception as error:
            self.record(Action(who, what, started, self.now(), False, repr(error)[:200]))
            return None
        self.record(Action(who, what, started, self.now(), True, nodes=tuple(nodes)))
        return result


def _get(session: requests.Session, url: str) -> tuple[requests.Response, list[str]]:
    """A page (following a redirect to another page, never to the login)."""
    response = session.get(url, timeout=TIMEOUT)
    if response.status_code != 200 or "/log-ind/" in response.url:
        raise RuntimeError(f"GET {url} → {response.status_code} {response.url}")
    nodes = [r.headers.get("X-SSP-Node", "?") for r in (*response.history, response)]
    return response, nodes


def _csrf(session: requests.Session, url: str) -> tuple[str, str]:
    page = session.get(url, timeout=TIMEOUT, allow_redirects=False)
    if page.status_code != 200:
        raise RuntimeError(f"GET {url} → {page.status_code}")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if token is None:
        raise RuntimeError(f"{url} has no CSRF token")
    return token.group(1), page.headers.get("X-SSP-Node", "?")


def browsing_user(run_: Run, email: str, statistics_url: str) -> None:
    session, _nodes = run_.session(email)
    paths = ["/", "/sager/", "/moeder/", statistics_url]
    while not run_.stopping.is_set():
        for path in paths:
            run_.act(email, f"GET {path}", lambda path=path: _get(session, run_.base_url + path))
            time.sleep(0.2)


def attachment_user(run_: Run, email: str, meeting: int, item: int) -> None:
    """Uploads a file to an agenda item, then downloads it through the proxy (the other
    node, round robin) and compares every byte."""
    session, _nodes = run_.session(email)
    meeting_url = f"{run_.base_url}/moeder/{meeting}/"
    number = 0

    def upload_and_download() -> tuple[None, list[str]]:
        nonlocal number
        number += 1
        content = b"%PDF-1.4\n% multinode " + os.urandom(20_000).hex().encode() + b"\n%%EOF\n"
        token, node_page = _csrf(session, meeting_url)
        upload = session.post(
            f"{meeting_url}dagsorden/{item}/bilag/",
            data={"csrfmiddlewaretoken": token},
            files={"file": (f"bilag-{number}.pdf", content, "application/pdf")},
            headers={"Referer": meeting_url},
            timeout=TIMEOUT,
            allow_redirects=False,
        )
        if upload.status_code != 302:
            raise RuntimeError(f"upload → {upload.status_code}")
        page = session.get(meeting_url, timeout=TIMEOUT)
        links = re.findall(rf'href="(/moeder/{meeting}/bilag/(\d+)/)"', page.text)
        if not links:
            raise RuntimeError("the uploaded attachment is not on the meeting page")
        newest = max(links, key=lambda link: int(link[1]))[0]
        download = session.get(run_.base_url + newest, timeout=TIMEOUT)
        if download.status_code != 200 or download.content != content:
            raise RuntimeError(f"download → {download.status_code}, {len(download.content)} B")
        answers = (upload, page, download)
        nodes = [node_page, *(answer.headers.get("X-SSP-Node", "?") for answer in answers)]
        return None, nodes

    while not run_.stopping.is_set():
        run_.act(email, "upload + download attachment", upload_and_download)
        time.sleep(1.0)


def publish(run_: Run, session: requests.Session, who: str, draft: int, code: str) -> None:
    """Publish a draft ActionCard through the proxy; a worker renders the PDF; download it."""

    def step() -> tuple[None, list[str]]:
        edit_url = f"{run_.base_url}/handlekort/redaktion/{draft}/"
        token, node = _csrf(session, edit_url)
        answer = session.post(
            f"{run_.base_url}/handlekort/redaktion/{draft}/udgiv/",
            data={"csrfmiddlewaretoken": token},
            headers={"Referer": edit_url},
            timeout=TIMEOUT,
            allow_redirects=False,
        )
        if answer.status_code != 302:
            raise RuntimeError(f"publish → {answer.status_code}")
        nodes = [node, answer.headers.get("X-SSP-Node", "?")]
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            # The public PDF, as anyone reads it once a worker has rendered and published it.
            pdf = requests.get(f"{run_.base_url}/handlekort/{code}/aktuel.pdf", timeout=TIMEOUT)
            if pdf.status_code == 200 and pdf.content.startswith(b"%PDF"):
                return None, [*nodes, pdf.headers.get("X-SSP-Node", "?")]
            time.sleep(1)
        raise RuntimeError("the published PDF did not appear within 90 s")

    run_.act(who, "publish ActionCard + download PDF", step)


def delivered_reminder_emails(folder: Path) -> int:
    """Reminder emails the file backend wrote (it separates messages by a line of dashes)."""
    count = 0
    for path in folder.glob("*") if folder.exists() else []:
        for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if raw.strip():
                subject = str(make_header(decode_header(message_from_bytes(raw)["Subject"] or "")))
                count += subject.endswith("Mødepåmindelse")
    return count


# ---- The run --------------------------------------------------------------------------------


def manage(env: dict[str, str], *args: str) -> str:
    return run([sys.executable, "manage.py", *args], cwd=PROJECT_DIR, env=env).stdout


def shell(env: dict[str, str], code: str) -> Any:
    output = manage(env, "shell", "-c", code)
    return json.loads(output.strip().splitlines()[-1])


def add_reminders(env: dict[str, str], batch: str) -> None:
    shell(
        env,
        "from tests.fault.multinode_setup import reminders; import json; "
        f"print(json.dumps(reminders({batch!r}, {REMINDERS_PER_BATCH})))",
    )


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=float, default=25, help="seconds before the kill (25)")
    parser.add_argument("--after", type=float, default=50, help="seconds after the kill (50)")
    parser.add_argument("--grace", type=float, default=5, help="failover window, seconds (5)")
    parser.add_argument("--pg-bin", help="PostgreSQL's bin directory (default: newest)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    options = parse_arguments(argv)
    if shutil.which("haproxy") is None:
        print("FAIL: HAProxy is not installed (make multinode installs it).", file=sys.stderr)
        return 1
    workdir = Path(tempfile.mkdtemp(prefix="ssp-multinode-"))
    os.chmod(workdir, 0o755)  # noqa: S103 - the cluster's owner (postgres) reads it
    cluster = Cluster(postgres_bin_dir(options.pg_bin), workdir)
    replica = Replica(cluster, workdir)
    processes: dict[str, Process] = {}
    passed = False
    with terminated_cleanly():
        passed = _main(options, workdir, cluster, replica, processes)
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


def _main(
    options: argparse.Namespace,
    workdir: Path,
    cluster: Cluster,
    replica: Replica,
    processes: dict[str, Process],
) -> bool:
    passed = False
    try:
        log(f"primary PostgreSQL on 127.0.0.1:{cluster.port}")
        cluster.create_and_start()
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("DATABASE_MIGRATE_URL", "DATABASE_REPLICA_URL")
        }
        env.update(
            DATABASE_URL=cluster.url,
            CACHE_KEY_PREFIX=f"ssp-multinode-{os.getpid()}",
            CELERY_CONTROL_EXCHANGE=f"ssp-multinode-{os.getpid()}",
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(workdir / "mail"),
            REMINDER_REQUEUE_AFTER_SECONDS="20",
            EMAIL_REQUEUE_AFTER_SECONDS="20",
            DATABASE_REPLICA_CHECK_SECONDS="1",
            DATABASE_REPLICA_MAX_LAG_SECONDS="5",
            PYTHONUNBUFFERED="1",
        )
        for command in (["migrate", "--no-input"], ["seed_demo"]):
            log(f"manage.py {' '.join(command)}")
            manage(env, *command)
        data = shell(env, "from tests.fault.multinode_setup import setup; setup()")
        log(f"pg_basebackup -R: streaming replica on 127.0.0.1:{replica.port}")
        replica.create_and_start()
        env["DATABASE_REPLICA_URL"] = (
            f"postgres://postgres@127.0.0.1:{replica.port}/{DATABASE_NAME}"
        )

        python = sys.executable
        ports = {"node1": free_port(), "node2": free_port()}
        for name, port in ports.items():
            media = workdir / f"{name}-disk"
            media.mkdir()
            processes[name] = Process(
                name,
                [python, "-m", "gunicorn", "ssp.wsgi:application", "--bind",
                 f"127.0.0.1:{port}", "--workers", "2", "--graceful-timeout", "5"],
                {**env, "PRIVATE_MEDIA_ROOT": str(media)},
                workdir / f"{name}.log",
            )  # fmt: skip
        for number in (1, 2):
            processes[f"worker{number}"] = Process(
                f"worker{number}",
                [python, "-m", "celery", "-A", "ssp", "worker", "--pool=solo", "--loglevel=INFO",
                 "--queues=celery,pdf", "-n", f"worker{number}@%h", "--without-gossip",
                 "--without-mingle"],
                {**env, "PRIVATE_MEDIA_ROOT": str(workdir / f"worker{number}-disk")},
                workdir / f"worker{number}.log",
            )  # fmt: skip
            processes[f"beat{number}"] = Process(
                f"beat{number}",
                [python, "-m", "celery", "-A", "ssp", "beat", "--loglevel=INFO",
                 "-s", str(workdir / f"beat{number}-schedule")],
                env,
                workdir / f"beat{number}.log",
            )  # fmt: skip
        proxy_port = free_port()
        config = workdir / "haproxy.cfg"
        config.write_text(
            HAPROXY_CONFIG.format(port=proxy_port, node1=ports["node1"], node2=ports["node2"])
        )
        processes["haproxy"] = Process(
            "haproxy", ["haproxy", "-f", str(config), "-db"], env, workdir / "haproxy.log"
        )
        for process in processes.values():
            process.start()
        for name, port in ports.items():
            wait_for_http(f"http://127.0.0.1:{port}/log-ind/")
            log(f"gunicorn {name} on 127.0.0.1:{port} (2 workers)")
        base_url = f"http://127.0.0.1:{proxy_port}"
        wait_for_http(base_url + "/log-ind/")
        time.sleep(2.5)  # both nodes up in HAProxy's health check ("rise 2")
        log(f"HAProxy round robin on {base_url}; 2 Celery workers and 2 beats running")

        run_ = Run(base_url)
        statistics_url = "/statistik/"
        threads = [
            threading.Thread(
                target=attachment_user,
                args=(run_, "konsulent@demo.ssp", data["meeting"], data["item"]),
                daemon=True,
            )
        ]
        threads += [
            threading.Thread(target=browsing_user, args=(run_, email, statistics_url), daemon=True)
            for email in USERNAMES
        ]
        for thread in threads:
            thread.start()
        admin_session, sign_in_nodes = run_.session(data["admin"])
        log(f"users signed in; the administrator's sign-in steps were answered by {sign_in_nodes}")

        add_reminders(env, "a")
        publish(run_, admin_session, data["admin"], data["drafts"][0], data["codes"][0])
        replica_before = replica.figure_reads()
        statistics = requests.Session()
        statistics.cookies.update(admin_session.cookies)
        time.sleep(max(0.0, options.before - run_.now()))

        killed_at = run_.now()
        processes["node1"].kill()
        processes["worker1"].kill()
        log(f"killed gunicorn node 1 and Celery worker 1 at {killed_at:.1f} s (SIGKILL)")
        add_reminders(env, "b")
        publish(run_, admin_session, data["admin"], data["drafts"][1], data["codes"][1])
        time.sleep(max(0.0, killed_at + options.after - run_.now()))
        replica_after = replica.figure_reads()

        # The replica lags: replay paused while the users keep writing (uploads, the access
        # log), so after DATABASE_REPLICA_MAX_LAG_SECONDS the nodes read the primary.
        replica.sql("SELECT pg_wal_replay_pause()")
        log("replica replay paused")
        time.sleep(12)  # past the lag limit, and every backend's pending statistics flushed
        lagging_before = replica.figure_reads()
        time.sleep(8)
        lagging_after = replica.figure_reads()
        replica.sql("SELECT pg_wal_replay_resume()")
        log("replica replay resumed")

        # The replica stops: statistics fall back to the primary.
        replica.stop()
        log("replica stopped")
        time.sleep(2)
        fallback_started = run_.now()
        time.sleep(6)
        run_.stopping.set()
        for thread in threads:
            thread.join(timeout=TIMEOUT + 5)
        ended = run_.now()

        # Reminders: wait until none is waiting (a claimed row whose worker died is claimed
        # again after REMINDER_REQUEUE_AFTER_SECONDS), at most three minutes.
        deadline = time.monotonic() + 120
        while True:
            figures = shell(env, "from tests.fault.multinode_setup import reminder_figures; "
                                 "reminder_figures()")  # fmt: skip
            waiting = figures["statuses"].get("pending", 0) + figures["statuses"].get("queued", 0)
            if waiting == 0 or time.monotonic() > deadline:
                break
            time.sleep(3)
        delivered = delivered_reminder_emails(workdir / "mail")

        replica_reads = (replica_after - replica_before, lagging_after - lagging_before)
        passed = report(run_, killed_at, options.grace, fallback_started, ended, figures,
                        delivered, replica_reads, workdir)  # fmt: skip
    except Exception as error:
        print(f"FAIL: {error}", file=sys.stderr)
        for process in processes.values():
            print(f"--- {process.name} ---\n{process.tail()}", file=sys.stderr)
    finally:
        for process in processes.values():
            process.stop()
        with contextlib.suppress(Exception):
            replica.stop()
        with contextlib.suppress(Exception):
            cluster.stop()
        shutil.rmtree(workdir, ignore_errors=True)
        log("cleaned up: processes stopped, clusters deleted")
    return passed


def phase_table(
    run_: Run, windows: list[tuple[str, float, float, bool]], killed_at: float
) -> tuple[bool, dict[str, Counter]]:
    """Print each phase's user actions, failures and answering nodes; False when a phase that
    must go without failures (its last item) had one, or had no action at all. Also the nodes
    that answered in each phase."""
    print()
    print("| phase | window (s) | user actions | failed | answered by |")
    print("|---|---|---|---|---|")
    passed = True
    answered: dict[str, Counter] = {}
    for label, start, end, must in windows:
        actions = [a for a in run_.actions if start <= a.started < end]
        # An action in flight at the kill belongs to the failover window.
        if must and label.startswith("before"):
            actions = [a for a in actions if a.finished < killed_at]
        failed = [a for a in actions if not a.ok]
        nodes = answered[label] = Counter(node for a in actions for node in a.nodes)
        print(f"| {label} | {start:.1f}–{end:.1f} | {len(actions)} | {len(failed)} "
              f"| {', '.join(f'{n} {c}' for n, c in sorted(nodes.items()))} |")  # fmt: skip
        if must and (failed or not actions):
            passed = False
            for action in failed[:10]:
                print(f"FAIL ({label}): {action.who} {action.what} at {action.started:.1f} s: "
                      f"{action.detail}")  # fmt: skip
    return passed, answered


def action_summary(run_: Run) -> Counter:
    """Print the successful user actions by kind and the uploads that spanned both nodes;
    returns the counts by kind."""
    kinds = Counter(
        "page views" if a.what.startswith("GET") else a.what for a in run_.actions if a.ok
    )
    print()
    print(
        "Successful user actions by kind: "
        + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
    )
    alternating = sum(
        1 for a in run_.actions if len(set(a.nodes)) > 1 and a.what.startswith("upload")
    )
    uploads = sum(1 for a in run_.actions if a.what.startswith("upload") and a.ok)
    print(f"Uploads downloaded intact: {uploads} ({alternating} of them spanned both nodes).")
    return kinds


def report(
    run_: Run,
    killed_at: float,
    grace: float,
    fallback_started: float,
    ended: float,
    figures: dict[str, Any],
    delivered: int,
    replica_reads: tuple[int, int],
    workdir: Path,
) -> bool:
    windows = [
        ("before the kill", 0.0, killed_at, True),
        ("failover window", killed_at, killed_at + grace, False),
        ("after failover (node 1, worker 1 dead)", killed_at + grace, fallback_started, True),
        ("replica stopped", fallback_started, ended + 1, True),
    ]
    passed, _answered = phase_table(run_, windows, killed_at)
    action_summary(run_)
    expected = 2 * REMINDERS_PER_BATCH
    statuses = figures["statuses"]
    print(
        f"Reminders: {expected} created, statuses {statuses}; reminder emails in the outbox "
        f"{figures['emails']}, sent {figures['emails_sent']}; messages delivered {delivered}."
    )
    if (
        statuses.get("sent", 0) != expected
        or figures["emails"] != expected
        or delivered != expected
    ):
        print("FAIL: reminders lost or sent twice.")
        passed = False
    served, while_lagging = replica_reads
    print(f"Scans of the statistics tables on the replica while it followed: {served}.")
    print(f"Scans on it while its replay was paused (past the lag limit): {while_lagging}.")
    if served <= 0:
        print("FAIL: no statistics were read from the replica.")
        passed = False
    if while_lagging != 0:
        print("FAIL: statistics were read from a replica past the lag limit.")
        passed = False
    for name in ("node1", "node2", "worker1", "worker2"):
        disk = workdir / f"{name}-disk"
        files = [p for p in disk.rglob("*") if p.is_file()] if disk.exists() else []
        if files:
            print(f"FAIL: {name} wrote files to its own disk: {files[:3]}")
            passed = False
    print("No node or worker wrote a file to its own disk.")
    return passed


if __name__ == "__main__":
    sys.exit(main())
