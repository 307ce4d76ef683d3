"""`manage.py benchmark_reminders`: deliver 10,000 due reminders with one real Celery worker,
kill that worker once mid-run, and count what arrived.

It creates throw-away users (`bench-reminder-N@benchmark.invalid`) and one meeting in the
configured database, starts a worker subprocess with the file email backend, dispatches as
beat would (but every second instead of every minute), kills the worker with SIGKILL when a
share of the reminders has gone out, starts a new one, and waits until every reminder is
sent. It then reads the emails back and reports time, duplicates and losses, and removes
what it created. Run it against a development database, never production.
"""

from __future__ import annotations

import email
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from forum.models import Body, BodyKind
from meetings import reminders, services
from meetings.models import Meeting, ReminderKind
from ssp import tasks
from ssp.models import OutgoingEmail, OutgoingEmailStatus, Reminder, User
from ssp.notify import mail

EMAIL_DOMAIN = "benchmark.invalid"


class Command(BaseCommand):
    help = "Deliver N due reminders with one worker, killed once mid-run; report the figures."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--count", type=int, default=10_000)
        parser.add_argument(
            "--kill-at",
            type=float,
            default=0.3,
            help="Kill the worker when this share of the reminders has been sent (0 = never).",
        )
        parser.add_argument("--timeout", type=int, default=300)

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("benchmark_reminders refuses to run in production.")
        count, kill_at = options["count"], options["kill_at"]
        with tempfile.TemporaryDirectory() as outbox:
            requeue = 5
            env = {
                **os.environ,
                "DATABASE_URL": _database_url(),
                "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "EMAIL_FILE_PATH": outbox,
                "REMINDER_REQUEUE_AFTER_SECONDS": str(requeue),
                "EMAIL_REQUEUE_AFTER_SECONDS": str(requeue),
            }
            meeting = self._prepare(count)
            try:
                with override_settings(REMINDER_REQUEUE_AFTER_SECONDS=requeue):
                    figures = self._run(count, kill_at, env, options["timeout"])
                figures.update(_read_outbox(Path(outbox), count))
            finally:
                self._clean_up(meeting)
        self._report(count, figures)

    def _prepare(self, count: int) -> Meeting:
        body = Body.objects.filter(kind=BodyKind.GROUP_115).first() or Body.objects.first()
        if body is None:
            raise CommandError("Run seed_demo first: the benchmark needs one body.")
        organiser = User.objects.filter(is_active=True).order_by("pk").first()
        start = timezone.now() + timedelta(days=3)
        meeting = services.meeting_create(
            body=body,
            organiser=organiser,
            title="Benchmark-møde",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            notify=False,
        )
        Reminder.objects.filter(object_type=reminders.MEETING_TYPE, object_id=meeting.pk).delete()
        users = User.objects.bulk_create(
            [
                User(email=f"bench-reminder-{i}@{EMAIL_DOMAIN}", full_name=f"Bench {i}")
                for i in range(count)
            ],
            batch_size=2000,
        )
        due = timezone.now() - timedelta(minutes=1)
        Reminder.objects.bulk_create(
            [
                Reminder(
                    kind=ReminderKind.MEETING,
                    object_type=reminders.MEETING_TYPE,
                    object_id=meeting.pk,
                    recipient=user,
                    due_at=due,
                    send_at=due,
                )
                for user in users
            ],
            batch_size=2000,
        )
        return meeting

    def _run(self, count: int, kill_at: float, env: dict, timeout: int) -> dict:
        sent = _sent_count
        worker = _start_worker(env)
        started = time.monotonic()
        killed_after = None
        deadline = started + timeout
        try:
            while time.monotonic() < deadline:
                tasks.dispatch_reminders()
                mail.emails_sweep()  # beat's mail sweep, for an email whose worker was killed
                done = sent()
                if killed_after is None and kill_at and done >= count * kill_at:
                    os.kill(worker.pid, signal.SIGKILL)
                    worker.wait()
                    killed_after = done
                    self.stdout.write(f"killed the worker after {done} reminders")
                    worker = _start_worker(env)
                if done >= count:
                    break
                time.sleep(1)
            elapsed = time.monotonic() - started
        finally:
            worker.terminate()
            worker.wait(timeout=30)
        return {"seconds": elapsed, "sent_rows": sent(), "killed_after": killed_after}

    def _clean_up(self, meeting: Meeting) -> None:
        Reminder.objects.filter(recipient__email__endswith=f"@{EMAIL_DOMAIN}").delete()
        OutgoingEmail.objects.filter(to__endswith=f"@{EMAIL_DOMAIN}").delete()
        User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").delete()
        Reminder.objects.filter(object_type=reminders.MEETING_TYPE, object_id=meeting.pk).delete()
        meeting.delete()

    def _report(self, count: int, figures: dict) -> None:
        lost = count - figures["delivered_recipients"]
        self.stdout.write(
            f"reminders: {count}\n"
            f"seconds until all sent: {figures['seconds']:.1f}\n"
            f"rows marked sent: {figures['sent_rows']}\n"
            f"worker killed after: {figures['killed_after']} sent\n"
            f"emails written: {figures['emails']}\n"
            f"duplicates: {figures['duplicates']}\n"
            f"lost: {lost}"
        )


def _sent_count() -> int:
    """Reminders whose email the mail outbox has delivered (a reminder marked sent has only
    been handed to the outbox)."""
    return OutgoingEmail.objects.filter(
        to__endswith=f"@{EMAIL_DOMAIN}", status=OutgoingEmailStatus.SENT
    ).count()


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start_worker(env: dict) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "ssp",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _read_outbox(outbox: Path, count: int) -> dict:
    """Count the emails the file backend wrote, per recipient."""
    recipients: Counter[str] = Counter()
    for path in outbox.iterdir():
        for chunk in path.read_text(encoding="utf-8").split("-" * 79):
            if "Message-ID:" not in chunk:
                continue
            message = email.message_from_string(chunk.strip())
            recipients[message["To"]] += 1
    bench = {to: n for to, n in recipients.items() if to.endswith(f"@{EMAIL_DOMAIN}")}
    return {
        "emails": sum(bench.values()),
        "delivered_recipients": len(bench),
        "duplicates": sum(n - 1 for n in bench.values()),
    }
