"""Start a real Celery worker process on the test's Redis broker and read its log."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class WorkerProcess:
    def __init__(self, process: subprocess.Popen[bytes], log_path: Path) -> None:
        self.process = process
        self.log_path = log_path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_for_log(self, text: str, *, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.log():
                return
            if self.process.poll() is not None:
                raise AssertionError(f"The Celery worker exited early:\n{self.log()}")
            time.sleep(0.1)
        raise AssertionError(
            f"{text!r} did not appear in the worker log within {timeout}s:\n{self.log()}"
        )

    def wait_until_it_answers_ping(self, *, timeout: float) -> None:
        """ "ready." is logged before the remote-control mailbox is certain to be subscribed;
        a broadcast sent before then is lost, so wait for a first answer."""
        from ssp.celery import app

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if app.control.ping(timeout=1):
                return
            if self.process.poll() is not None:
                raise AssertionError(f"The Celery worker exited early:\n{self.log()}")
        raise AssertionError(f"The worker did not answer a ping within {timeout}s:\n{self.log()}")


@contextmanager
def running_worker(
    env: dict[str, str] | None = None, queues: str = "celery"
) -> Iterator[WorkerProcess]:
    """A worker with the solo pool consuming `queues`, using the broker in this process's
    environment."""
    with tempfile.TemporaryDirectory() as tmp:
        log_path = Path(tmp) / "worker.log"
        with log_path.open("wb") as log_file:
            process = subprocess.Popen(  # noqa: S603 - our own command; queues from the tests
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "ssp",
                    "worker",
                    "--pool=solo",
                    "--loglevel=INFO",
                    "--without-gossip",
                    "--without-mingle",
                    f"--queues={queues}",
                ],
                cwd=ROOT,
                env={**os.environ, **(env or {})},
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
            worker = WorkerProcess(process, log_path)
            try:
                worker.wait_for_log("ready.", timeout=60)
                worker.wait_until_it_answers_ping(timeout=30)
                yield worker
            finally:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
