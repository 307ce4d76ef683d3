"""Simulated SSP professionals for `manage.py loadtest`: each signs in as one of the scale
data's users and does what a working day holds: the front page, the case list, a case, the
concern form (and now and then a concern), their meetings. `TrivialView` requests the trivial
baseline view instead.

Credentials come from the file named by LOADTEST_USERS_FILE: one "email password totp-key"
per line (the key in hex, as django-otp stores it).
With LOADTEST_SATURATE=1 nobody pauses between requests: the run measures how much the server
can do, not how it feels.
"""

from __future__ import annotations

import itertools
import os
import random
import re
import threading
import time
from pathlib import Path

import gevent.event
from django_otp.oath import TOTP
from locust import HttpUser, between, constant, task

_LOCK = threading.Lock()
WAIT = constant(0) if os.environ.get("LOADTEST_SATURATE") == "1" else between(0.5, 2)
# With LOADTEST_STEADY=1 the figures start when all LOADTEST_USERS have signed in: signing in
# is slow on purpose (password hashing), and fifty people doing it in the same five seconds
# is a storm no working day has. The figures of a run without it keep the storm in.
STEADY = os.environ.get("LOADTEST_STEADY") == "1"
EXPECTED_USERS = int(os.environ.get("LOADTEST_USERS", "0"))
_ALL_SIGNED_IN = gevent.event.Event()
_signed_in = 0
_CREDENTIALS = itertools.cycle(
    line.split(" ", 2)
    for line in Path(os.environ.get("LOADTEST_USERS_FILE", "/dev/null")).read_text().splitlines()
    if line.strip()
)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CASE_LINK = re.compile(r'href="/sager/(\d+)/"')
SELECT = r'<select name="{}"[^>]*>(.*?)</select>'
OPTION = re.compile(r'<option value="(\d+)"')


def _totp(hex_key: str) -> str:
    """The code the simulated user's authenticator app shows now."""
    totp = TOTP(bytes.fromhex(hex_key))
    totp.time = time.time()
    return f"{totp.token():06d}"


def _csrf(html: str) -> str:
    match = CSRF.search(html)
    return match.group(1) if match else ""


HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def _hidden(html: str) -> dict[str, str]:
    """The form's hidden fields (the CSRF token, the municipality, the submission token)."""
    return dict(HIDDEN.findall(html))


def _first_option(html: str, field: str) -> str:
    """The first choice of a select, or of radio buttons (the concern's category)."""
    select = re.search(SELECT.format(field), html, re.DOTALL)
    option = OPTION.search(select.group(1)) if select else None
    radio = re.search(rf'<input type="radio" name="{field}" value="(\d+)"', html)
    return option.group(1) if option else radio.group(1) if radio else ""


class Professional(HttpUser):
    wait_time = WAIT

    def on_start(self) -> None:
        with _LOCK:
            self.email, self.password, key = next(_CREDENTIALS)
        page = self.client.get("/log-ind/", name="login form").text
        code_page = self.client.post(
            "/log-ind/",
            {"username": self.email, "password": self.password, "csrfmiddlewaretoken": _csrf(page)},
            name="log in",
        ).text
        response = self.client.post(
            "/log-ind/kode/",
            {"code": _totp(key), "csrfmiddlewaretoken": _csrf(code_page)},
            name="log in: code",
        )
        if "Log af" not in response.text:
            raise RuntimeError(f"{self.email} could not sign in")
        self.case_ids = [int(pk) for pk in CASE_LINK.findall(self.client.get("/sager/").text)]
        if STEADY:
            self._wait_for_everyone()

    def _wait_for_everyone(self) -> None:
        """The last to sign in starts the figures afresh; everyone starts working then."""
        global _signed_in
        with _LOCK:
            _signed_in += 1
            last = _signed_in >= EXPECTED_USERS
        if last:
            self.environment.runner.stats.reset_all()
            _ALL_SIGNED_IN.set()
        _ALL_SIGNED_IN.wait(timeout=120)

    @task(3)
    def dashboard(self) -> None:
        self.client.get("/", name="dashboard")

    @task(3)
    def case_list(self) -> None:
        self.client.get("/sager/", name="case list")

    @task(3)
    def case_detail(self) -> None:
        if self.case_ids:
            self.client.get(f"/sager/{random.choice(self.case_ids)}/", name="case detail")

    @task(1)
    def log_concern(self) -> None:
        page = self.client.get("/bekymringer/ny/", name="concern form").text
        if random.random() >= 0.3:
            return
        data = {
            **_hidden(page),
            "subject_kind": "place",
            "subject_description": "Stationspladsen",
            "category": _first_option(page, "category"),
            "description": "Uro ved stationen om aftenen.",
            "observed_on": "2026-11-20",
            "urgency": "normal",
            "notification_status": "not_relevant",
        }
        # Someone working in several municipalities picks one; for the others it is hidden.
        data.setdefault("municipality", _first_option(page, "municipality"))
        with self.client.post(
            "/bekymringer/ny/",
            data,
            name="submit concern",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"the concern was refused ({response.status_code})")

    @task(2)
    def meetings(self) -> None:
        self.client.get("/moeder/", name="my meetings")


class TrivialView(HttpUser):
    wait_time = WAIT

    @task
    def trivial(self) -> None:
        self.client.get("/load/trivial/", name="trivial view")
