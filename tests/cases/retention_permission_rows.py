"""Rows of the cases permission table (test_permission_matrix.py) for the data-protection pages
and note corrections.

- The legal-hold pages of a municipality: its administrators (the data-protection role) and its
  SSP consultants, who know when a case must be kept for the courts.
- The deletion log and the retention periods: its administrators only. They are the data
  controller's own administration; the consultants work with cases, not with the controller's
  settings, and the log adds nothing a consultant needs.
- Everyone else: 404, as for anything they cannot see.
- A note is corrected by its author, or by an SSP consultant of the municipality; a police
  officer corrects only their own notes. Other readers of the case get 403, non-readers 404.
"""

from __future__ import annotations

from collections.abc import Callable

from cases import services
from cases.models import Case, HoldScope, Note
from forum.models import Municipality
from ssp.models import User
from tests.permission_table import Row, statuses
from tests.personas import PERSONA_NAMES

MIKKEL = "Demo-Mikkel Eksempelsen"
MIKKEL_READERS = ("consultant", "leader", "police", "social", "club")


def _expect(default: int = 404, **overrides: int) -> dict[str, int]:
    return statuses(PERSONA_NAMES, default, **overrides)


def _glostrup() -> Municipality:
    return Municipality.objects.get(code="161")


def _mikkel() -> Case:
    return Case.objects.get(young_person__full_name=MIKKEL)


def _user(email: str) -> User:
    return User.objects.get(email=email)


def _page(suffix: str) -> Callable[[], str]:
    return lambda: f"/opbevaring/{_glostrup().pk}/{suffix}"


def _hold_release_url() -> str:
    """Places a hold on Mikkel's case (rolled back with the test) and returns its release URL."""
    hold = services.legal_hold_place(
        municipality=_glostrup(),
        by=_user("admin@demo.ssp"),
        case_number=_mikkel().pk,
        scope=HoldScope.CASE,
        reason="Verserende retssag.",
    )
    return f"/opbevaring/{_glostrup().pk}/tilbageholdelse/{hold.pk}/ophaev/"


def _note_url(author_email: str | None) -> Callable[[], str]:
    """The correction page of the demo note on Mikkel's case (by the consultant), or of a new
    note by `author_email` (rolled back with the test)."""

    def url() -> str:
        case = _mikkel()
        if author_email is None:
            note = Note.objects.filter(case=case, corrects=None).order_by("pk").first()
        else:
            note = services.note_add(case=case, author=_user(author_email), text="Eget notat.")
        return f"/sager/{case.pk}/notat/{note.pk}/ret/"

    return url


def _fixed(data: dict) -> Callable[[User | None], dict]:
    return lambda user: data


HOLD_KEEPERS_GET = _expect(admin=200, consultant=200)
HOLD_KEEPERS_POST = _expect(admin=302, consultant=302)
ADMIN_ONLY = _expect(admin=200)
# Readers of Mikkel's case who are neither the author nor a consultant.
OTHERS_NOTE = {**_expect(**dict.fromkeys(MIKKEL_READERS, 403)), "consultant": 200}
POLICE_OWN_NOTE = {**OTHERS_NOTE, "police": 200}
OTHERS_NOTE_POST = {**_expect(**dict.fromkeys(MIKKEL_READERS, 403)), "consultant": 302}

RETENTION_ROWS = [
    Row("retention_index", "GET", lambda: "/opbevaring/", HOLD_KEEPERS_GET),
    Row("legal_holds", "GET", _page("tilbageholdelse/"), HOLD_KEEPERS_GET),
    Row(
        "legal_holds",
        "POST",
        _page("tilbageholdelse/"),
        HOLD_KEEPERS_POST,
        lambda user: {
            "case_number": _mikkel().pk,
            "scope": "case",
            "reason": "Politiet har bedt om, at sagen bevares.",
        },
    ),
    Row("legal_hold_release", "GET", _hold_release_url, HOLD_KEEPERS_GET),
    Row(
        "legal_hold_release",
        "POST",
        _hold_release_url,
        HOLD_KEEPERS_POST,
        _fixed({"reason": "Retssagen er afsluttet."}),
    ),
    Row("deletion_log", "GET", _page("sletningslog/"), ADMIN_ONLY),
    Row("deletion_log_export", "GET", _page("sletningslog.csv"), ADMIN_ONLY),
    Row("retention_policy", "GET", _page("perioder/"), ADMIN_ONLY),
    Row(
        "retention_policy",
        "POST",
        _page("perioder/"),
        _expect(admin=302),
        _fixed(
            {
                "concern_without_case_days": 180,
                "closed_case_days": 3 * 365,
                "note_days": 3 * 365,
                "audit_log_days": 365,
            }
        ),
    ),
    Row("note_correct", "GET", _note_url(None), OTHERS_NOTE),
    Row("note_correct", "GET", _note_url("politi@demo.ssp"), POLICE_OWN_NOTE),
    Row(
        "note_correct",
        "POST",
        _note_url(None),
        OTHERS_NOTE_POST,
        _fixed({"text": "Mødet var med far, ikke mor."}),
    ),
]
