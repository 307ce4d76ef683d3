"""Rows of the cases permission table (test_permission_matrix.py) for the consultant's side
after a concern is in: corrections, joining a triaged concern to a case, and duplicates.

- A concern is corrected by its author and by the SSP consultants who triage it; other readers
  of the concern (the chair of the pupil's school team) get 403, everyone else 404.
- A concern already routed or closed is joined to a case by the consultant; its author reads
  it (403), nobody else does (404).
- The suspected duplicates and the merge page are the consultants': for everyone else they do
  not exist (404).
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from cases import services
from cases.models import Case, Concern, ConcernCategory, SubjectKind, YoungPerson
from devtools.demo.duplicates import AGAIN, REGISTERED
from forum.models import Municipality
from ssp.models import User
from tests.permission_table import Row, statuses
from tests.personas import PERSONA_NAMES

FREJA = "Demo-Freja Fantasisen"  # a new concern by the club worker, untriaged
MIKKEL = "Demo-Mikkel Eksempelsen"


def _expect(default: int = 404, **overrides: int) -> dict[str, int]:
    return statuses(PERSONA_NAMES, default, **overrides)


def _user(email: str) -> User:
    return User.objects.get(email=email)


def _freja_url(suffix: str) -> Callable[[], str]:
    return lambda: f"/bekymringer/{Concern.objects.get(young_person__full_name=FREJA).pk}/{suffix}"


def _closed_mikkel_concern_url() -> str:
    """A second concern about Mikkel by the club worker, closed without a case (rolled back
    with the test): the consultant may join it to Mikkel's case."""
    glostrup = Municipality.objects.get(code="161")
    concern = services.concern_submit(
        author=_user("klub@demo.ssp"),
        municipality=glostrup,
        subject_kind=SubjectKind.PERSON,
        young_person=YoungPerson.objects.get(full_name=MIKKEL),
        category=ConcernCategory.objects.get(municipality=glostrup, name="Kriminalitet"),
        description="Set med en ny knallert.",
        observed_on=timezone.localdate(),
    )
    services.concern_close(
        concern=concern, by=_user("konsulent@demo.ssp"), reason="Klubben følger op."
    )
    return f"/bekymringer/{concern.pk}/knyt-til-sag/"


def _merge_url() -> str:
    first = YoungPerson.objects.get(full_name=REGISTERED)
    second = YoungPerson.objects.get(full_name=AGAIN)
    return f"/unge/dubletter/{first.pk}/{second.pk}/"


def _correction_data(user: User | None) -> dict:
    concern = Concern.objects.get(young_person__full_name=FREJA)
    return {
        "category": ConcernCategory.objects.get(municipality=concern.municipality, name="Vold").pk,
        "observed_on": concern.observed_on.isoformat(),
        "young_person": concern.young_person_id,
        "reason": "Forkert kategori valgt.",
    }


def _attach_data(user: User | None) -> dict:
    return {
        "case": Case.objects.get(young_person__full_name=MIKKEL).pk,
        "reason": "Samme forhold som sagen.",
    }


def _merge_data(user: User | None) -> dict:
    return {
        "keep": YoungPerson.objects.get(full_name=REGISTERED).pk,
        "reason": "Samme pige: bekræftet af skolen.",
    }


FREJA_READERS_POST = _expect(consultant=302, club=302, leader=403)

TRIAGE_ROWS = [
    Row("concern_correct", "POST", _freja_url("ret/"), FREJA_READERS_POST, _correction_data),
    Row("concern_correct", "GET", _freja_url("ret/"), _expect(405)),
    Row(
        "concern_attach",
        "POST",
        _closed_mikkel_concern_url,
        _expect(consultant=302, club=403),
        _attach_data,
    ),
    Row("concern_attach", "GET", _closed_mikkel_concern_url, _expect(405)),
    Row("duplicate_list", "GET", lambda: "/unge/dubletter/", _expect(consultant=200)),
    Row("young_person_merge", "GET", _merge_url, _expect(consultant=200)),
    Row("young_person_merge", "POST", _merge_url, _expect(consultant=302), _merge_data),
]
