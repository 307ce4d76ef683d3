"""Who gets what on every cases URL: a table of (persona, URL, method, expected status).

The demo cases map the roles the access rules care about onto the personas:
- Mikkel's case is handled by SSP-team Vestervang, which the leader chairs and police, social
  and club sit in, and was opened with a §115 basis for the team: the team's members of the
  handling sectors work on it; the police officer reads it and adds notes, never steers it.
- Amalie's case is handled by SSP-team Søndervang (another school than the leader's) with an
  ad-hoc group of the consultant, police (with a §115 basis of his own) and social: social
  works on it, the police officer reads it and adds notes; police2 (other police) and the
  leader of another school do not see it.
- Oliver's case is shared under §115 with police2 alone: a recipient reads and adds notes.
- Noah's case is in Albertslund, handled by SSP-team Herstedvester with police2 in it, opened
  with a §115 basis for the team: police2 reads it and adds notes.
The consultant triages and steers Glostrup's cases; the administrator sees no case content.
Police get 403 on every steering URL of a case they read, 404 on one they do not.

A case or concern the user may not see answers 404; visible but not theirs to do, 403.
POST-only URLs answer 405 to a signed-in GET before looking at any object. Every URL in
cases.urls must appear here.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from cases import services
from cases.models import Case, Concern, ConcernCategory, YoungPerson
from forum.models import Body, Membership, Person
from ssp.models import User
from tests.cases.escalation_permission_rows import ESCALATION_ROWS
from tests.cases.retention_permission_rows import RETENTION_ROWS
from tests.cases.triage_permission_rows import TRIAGE_ROWS
from tests.permission_table import ANONYMOUS, Row, Table, check, sign_in, statuses, url_names
from tests.personas import PERSONA_NAMES, Personas

pytestmark = pytest.mark.django_db

PERSONAS = PERSONA_NAMES


def _expect(default: int = 404, **overrides: int) -> dict[str, int]:
    """Expected statuses: `default` for every persona not named."""
    return statuses(PERSONAS, default, **overrides)


def _case(name: str) -> Case:
    return Case.objects.get(young_person__full_name=name)


def _concern(name: str) -> Concern:
    return Concern.objects.get(young_person__full_name=name)


def _case_url(name: str, suffix: str = "") -> Callable[[], str]:
    return lambda: f"/sager/{_case(name).pk}/{suffix}"


def _concern_url(name: str, suffix: str = "") -> Callable[[], str]:
    return lambda: f"/bekymringer/{_concern(name).pk}/{suffix}"


def _typed_concern_url(suffix: str = "") -> Callable[[], str]:
    """The demo's concern about a child the club worker typed in (Karla, not theirs to see)."""
    return lambda: f"/bekymringer/{Concern.objects.get(reported_name=KARLA).pk}/{suffix}"


def _typed_group_row_url() -> str:
    """A concern by the club worker naming two young people they typed in (one resembles
    Karla, whom they may not see): the URL settling the first of them (rolled back)."""
    glostrup = Concern.objects.get(reported_name=KARLA).municipality
    concern = services.concern_submit(
        author=User.objects.get(email="klub@demo.ssp"),
        municipality=glostrup,
        subject_kind="group",
        subject_description="To piger i klubben",
        category=ConcernCategory.objects.get(municipality=glostrup, name="Kriminalitet"),
        description="To piger truede en yngre pige i klubben.",
        observed_on=timezone.localdate(),
        other_young_people=[
            services.ReportedIdentity(full_name=KARLA),
            services.ReportedIdentity(full_name="Demo-Ny Navnesen"),
        ],
    )
    return f"/bekymringer/{concern.pk}/ung/{concern.people.get(position=0).pk}/"


def _place_concern_url() -> str:
    return f"/bekymringer/{Concern.objects.get(subject_description='Stationsforpladsen').pk}/"


def _action_complete_url(name: str) -> Callable[[], str]:
    """Adds an action to the case (rolled back with the test) and returns its 'done' URL."""

    def url() -> str:
        case = _case(name)
        consultant = User.objects.get(email="konsulent@demo.ssp")
        action = services.action_add(case=case, by=consultant, title="Samtale med forældrene")
        return f"/sager/{case.pk}/indsats/{action.pk}/udfoert/"

    return url


def _action_assign_url(name: str) -> Callable[[], str]:
    """Adds an action nobody is responsible for (rolled back with the test) and returns the URL
    that names its responsible person."""

    def url() -> str:
        case = _case(name)
        consultant = User.objects.get(email="konsulent@demo.ssp")
        action = services.action_add(case=case, by=consultant, title="Kontakt til klubben")
        return f"/sager/{case.pk}/indsats/{action.pk}/ansvarlig/"

    return url


def _group_remove_url() -> str:
    case = _case("Demo-Amalie Tænktsen")
    membership = Membership.objects.get(body_id=case.adhoc_group_id, person__full_name="Sara Skov")
    return f"/sager/{case.pk}/gruppe/{membership.pk}/fjern/"


def _insight_url(name: str, suffix: str = "") -> Callable[[], str]:
    return lambda: f"/adgangslog/ung/{_case(name).young_person_id}/{suffix}"


def _share_revoke_url() -> str:
    case = _case("Demo-Oliver Påfundsen")
    share = case.bases.get(user__email="politi2@demo.ssp")
    return f"/sager/{case.pk}/del/{share.pk}/tilbagekald/"


def _mikkel_basis_revoke_url() -> str:
    """The §115 basis SSP-team Vestervang got when Mikkel's case was opened."""
    case = _case("Demo-Mikkel Eksempelsen")
    basis = case.bases.get(body__name="SSP-team Vestervang")
    return f"/sager/{case.pk}/del/{basis.pk}/tilbagekald/"


def _glostrup_person(name: str) -> int:
    return Person.objects.get(full_name=name, municipality__code="161").pk


# Data of valid POSTs: each gets the success status from a user who may do it.


def _concern_data(user: User | None) -> dict:
    """A place concern in the user's first municipality (no young person, no notification)."""
    municipality = user.municipalities.order_by("name").first() if user else None
    if municipality is None:
        return {}
    category = ConcernCategory.objects.get(municipality=municipality, name="Kriminalitet")
    return {
        "municipality": municipality.pk,
        "subject_kind": "place",
        "subject_description": "Legepladsen ved hallen",
        "category": category.pk,
        "description": "Unge samles om aftenen og smadrer flasker.",
        "observed_on": timezone.localdate().isoformat(),
        "urgency": "normal",
        "notification_status": "not_relevant",
        "submission_token": str(uuid.uuid4()),
    }


def _triage_close_data(user: User | None) -> dict:
    return {
        "decision": "close",
        "reason": "Klubben har talt med den unges forældre.",
        "level": "individual",
        "prevention_kind": "reactive",
    }


def _case_edit_data(user: User | None) -> dict:
    return {
        "level": "individual",
        "prevention_kind": "proactive",
        "responsible_body": Body.objects.get(name="SSP-team Søndervang").pk,
        # Amalie's ad-hoc group is coordinated by the consultant, and a group has one.
        "coordinator": User.objects.get(email="konsulent@demo.ssp").pk,
        "follow_up_on": "",
    }


def _share_data(user: User | None) -> dict:
    return {
        "user": User.objects.get(email="politi2@demo.ssp").pk,
        "purpose": "Politiet kender den unge fra nattelivet.",
        "part_of_ssp": "on",
        "relevant": "on",
        "necessary": "on",
    }


def _share_to_club(user: User | None) -> dict:
    return {**_share_data(user), "user": User.objects.get(email="klub@demo.ssp").pk}


def _fixed(data: dict) -> Callable[[User | None], dict]:
    return lambda user: data


SIGNED_IN_PAGE = _expect(200)
POST_ONLY_ON_GET = _expect(405)
CONCERN_LOGGERS = _expect(200, outsider=404)
CONSULTANT_ONLY = _expect(consultant=200)
AUDIT_READERS = _expect(admin=200, consultant=200)
# Albertslund's log: its administrator; Glostrup's consultant does not triage there.
NOAH_AUDIT_READERS = _expect(admin=200)

# Mikkel: SSP-team Vestervang (leader, police, social, club) and the consultant.
MIKKEL_READERS = ("consultant", "leader", "police", "social", "club")
MIKKEL_PAGE = _expect(**dict.fromkeys(MIKKEL_READERS, 200))
MIKKEL_NOTE_POST = _expect(**dict.fromkeys(MIKKEL_READERS, 302))
MIKKEL_WORK_GET = {**MIKKEL_PAGE, "police": 403}
MIKKEL_WORK_POST = {**MIKKEL_NOTE_POST, "police": 403}
MIKKEL_MANAGE_GET = {**_expect(**dict.fromkeys(MIKKEL_READERS, 403)), "consultant": 200}
MIKKEL_MANAGE_POST = {**_expect(**dict.fromkeys(MIKKEL_READERS, 403)), "consultant": 302}
# Amalie: ad-hoc group of consultant, police and social; the leader's school is not hers.
AMALIE_PAGE = _expect(consultant=200, police=200, social=200)
AMALIE_NOTE_POST = _expect(consultant=302, police=302, social=302)
AMALIE_WORK_GET = _expect(consultant=200, police=403, social=200)
AMALIE_WORK_POST = _expect(consultant=302, police=403, social=302)
AMALIE_MANAGE_GET = _expect(consultant=200, police=403, social=403)
AMALIE_MANAGE_POST = _expect(consultant=302, police=403, social=403)
# Oliver: shared with police2, who reads it and adds notes but does not work on it.
OLIVER_PAGE = _expect(consultant=200, police2=200)
OLIVER_NOTE_POST = _expect(consultant=302, police2=302)
OLIVER_GET_FORBIDDEN = _expect(consultant=200, police2=403)
OLIVER_POST_FORBIDDEN = _expect(consultant=302, police2=403)
# Noah: Albertslund, SSP-team Herstedvester; Glostrup's consultant does not see it.
NOAH_PAGE = _expect(police2=200)
NOAH_NOTE_POST = _expect(police2=302)
NOAH_POST_FORBIDDEN = _expect(police2=403)

AMALIE = "Demo-Amalie Tænktsen"
MIKKEL = "Demo-Mikkel Eksempelsen"
OLIVER = "Demo-Oliver Påfundsen"
NOAH = "Demo-Noah Nulsen"
FREJA = "Demo-Freja Fantasisen"  # a new concern (by club) for SSP-team Vestervang, untriaged
KARLA = "Demo-Karla Kopisen"  # typed in by club, who may not see her: a possible match

ROWS = [
    # Concerns
    Row("concern_create", "GET", lambda: "/bekymringer/ny/", CONCERN_LOGGERS),
    Row(
        "concern_create",
        "POST",
        lambda: "/bekymringer/ny/",
        _expect(302, outsider=404),
        _concern_data,
    ),
    Row(
        "young_person_lookup",
        "POST",
        lambda: "/bekymringer/find-ung/",
        SIGNED_IN_PAGE,
        _fixed({"lookup": "Demo"}),
    ),
    Row("young_person_lookup", "GET", lambda: "/bekymringer/find-ung/", POST_ONLY_ON_GET),
    # The form's "more young people" rows, fetched when opened: whoever may log a concern.
    Row(
        "concern_other_young_people",
        "GET",
        lambda: "/bekymringer/ny/flere-unge/",
        CONCERN_LOGGERS,
    ),
    Row(
        "concern_other_young_people",
        "POST",
        lambda: "/bekymringer/ny/flere-unge/",
        _expect(405),
        _fixed({}),
    ),
    Row("my_concerns", "GET", lambda: "/bekymringer/mine/", SIGNED_IN_PAGE),
    Row("triage_queue", "GET", lambda: "/bekymringer/visitation/", CONSULTANT_ONLY),
    # The author, the school team's chair and the consultant; not the team's plain members.
    Row(
        "concern_detail",
        "GET",
        _concern_url(FREJA),
        _expect(consultant=200, club=200, leader=200),
    ),
    # The author (leader) sees her concern; the readers of its case see it too.
    Row(
        "concern_detail",
        "GET",
        _concern_url(AMALIE),
        _expect(consultant=200, leader=200, police=200, social=200),
    ),
    Row("concern_detail", "GET", _place_concern_url, _expect(consultant=200, police=200)),
    Row("concern_detail", "GET", _concern_url(NOAH), _expect(police2=200)),
    Row(
        "concern_addendum",
        "POST",
        _concern_url(FREJA, "tilfoejelse/"),
        _expect(consultant=302, club=302, leader=403),
        _fixed({"text": "Hun har også været i klubben i weekenden."}),
    ),
    Row(
        "concern_addendum",
        "POST",
        _concern_url(AMALIE, "tilfoejelse/"),
        _expect(consultant=302, leader=302, police=403, social=403),
        _fixed({"text": "Forældrene er nu orienteret."}),
    ),
    Row("concern_addendum", "GET", _concern_url(FREJA, "tilfoejelse/"), POST_ONLY_ON_GET),
    Row(
        "concern_triage",
        "POST",
        _concern_url(FREJA, "visiter/"),
        _expect(consultant=302, club=403, leader=403),
        _triage_close_data,
    ),
    Row(
        "concern_triage",
        "POST",
        _concern_url(NOAH, "visiter/"),
        _expect(police2=403),
        _triage_close_data,
    ),
    Row("concern_triage", "GET", _concern_url(FREJA, "visiter/"), POST_ONLY_ON_GET),
    # The Barnets lov question as the form is filled in: whoever may log a concern.
    Row(
        "concern_notification_question",
        "POST",
        lambda: "/bekymringer/ny/underretning/",
        CONCERN_LOGGERS,
        _concern_data,
    ),
    Row(
        "concern_notification_question",
        "GET",
        lambda: "/bekymringer/ny/underretning/",
        POST_ONLY_ON_GET,
    ),
    # Settling who a typed-in young person is: the consultant; the author (club) sees the
    # concern but may not; nobody else sees it.
    Row(
        "concern_resolve_young_person",
        "POST",
        _typed_concern_url("ung/"),
        _expect(consultant=302, club=403),
        lambda user: {"young_person": YoungPerson.objects.get(full_name=KARLA).pk},
    ),
    Row("concern_resolve_young_person", "GET", _typed_concern_url("ung/"), POST_ONLY_ON_GET),
    # The same for one typed-in young person of a concern about several.
    Row(
        "concern_resolve_person",
        "POST",
        _typed_group_row_url,
        _expect(consultant=302, club=403),
        lambda user: {"young_person": YoungPerson.objects.get(full_name=KARLA).pk},
    ),
    Row("concern_resolve_person", "GET", _typed_group_row_url, POST_ONLY_ON_GET),
    Row("concern_detail", "GET", _typed_concern_url(), _expect(consultant=200, club=200)),
    Row("triage_queue", "GET", lambda: "/bekymringer/visitation/?vis=afsluttede", CONSULTANT_ONLY),
    # Cases
    Row("case_list", "GET", lambda: "/sager/", SIGNED_IN_PAGE),
    Row("case_detail", "GET", _case_url(MIKKEL), MIKKEL_PAGE),
    Row("case_detail", "GET", _case_url(AMALIE), AMALIE_PAGE),
    Row("case_detail", "GET", _case_url(OLIVER), OLIVER_PAGE),
    Row("case_detail", "GET", _case_url(NOAH), NOAH_PAGE),
    # Who can see the case, and why: for those who steer it; its police readers get 403.
    Row("case_access", "GET", _case_url(MIKKEL, "adgang/"), MIKKEL_MANAGE_GET),
    Row("case_access", "GET", _case_url(AMALIE, "adgang/"), AMALIE_MANAGE_GET),
    Row("case_access", "GET", _case_url(OLIVER, "adgang/"), OLIVER_GET_FORBIDDEN),
    Row("case_edit", "GET", _case_url(MIKKEL, "rediger/"), MIKKEL_MANAGE_GET),
    Row("case_edit", "GET", _case_url(AMALIE, "rediger/"), AMALIE_MANAGE_GET),
    Row("case_edit", "GET", _case_url(OLIVER, "rediger/"), OLIVER_GET_FORBIDDEN),
    Row("case_edit", "POST", _case_url(AMALIE, "rediger/"), AMALIE_MANAGE_POST, _case_edit_data),
    Row(
        "note_add",
        "POST",
        _case_url(MIKKEL, "notat/"),
        MIKKEL_NOTE_POST,
        _fixed({"text": "Talt med mor i telefon."}),
    ),
    Row(
        "note_add",
        "POST",
        _case_url(AMALIE, "notat/"),
        AMALIE_NOTE_POST,
        _fixed({"text": "Billederne er fjernet fra chatten.", "restricted": "on"}),
    ),
    Row(
        "note_add",
        "POST",
        _case_url(OLIVER, "notat/"),
        OLIVER_NOTE_POST,
        _fixed({"text": "Set ved stationen igen."}),
    ),
    Row(
        "note_add",
        "POST",
        _case_url(NOAH, "notat/"),
        NOAH_NOTE_POST,
        _fixed({"text": "Gruppen er mindre nu."}),
    ),
    Row("note_add", "GET", _case_url(AMALIE, "notat/"), POST_ONLY_ON_GET),
    Row("action_add", "GET", _case_url(AMALIE, "indsats/"), AMALIE_WORK_GET),
    Row("action_add", "GET", _case_url(MIKKEL, "indsats/"), MIKKEL_WORK_GET),
    Row("action_add", "GET", _case_url(OLIVER, "indsats/"), OLIVER_GET_FORBIDDEN),
    Row(
        "action_add",
        "POST",
        _case_url(AMALIE, "indsats/"),
        AMALIE_WORK_POST,
        _fixed({"title": "Samtale med skolens AKT-lærer", "responsible": "", "due_on": ""}),
    ),
    Row(
        "action_add",
        "POST",
        _case_url(MIKKEL, "indsats/"),
        MIKKEL_WORK_POST,
        _fixed({"title": "Hjemmebesøg", "responsible": "", "due_on": ""}),
    ),
    Row("action_assign", "GET", _action_assign_url(AMALIE), AMALIE_WORK_GET),
    Row("action_assign", "GET", _action_assign_url(MIKKEL), MIKKEL_WORK_GET),
    Row("action_assign", "GET", _action_assign_url(OLIVER), OLIVER_GET_FORBIDDEN),
    Row(
        "action_assign",
        "POST",
        _action_assign_url(AMALIE),
        AMALIE_WORK_POST,
        lambda user: {"responsible": _glostrup_person("Sara Skov")},
    ),
    Row(
        "action_assign",
        "POST",
        _action_assign_url(OLIVER),
        OLIVER_POST_FORBIDDEN,
        lambda user: {"responsible": _glostrup_person("Sara Skov")},
    ),
    Row("action_complete", "POST", _action_complete_url(AMALIE), AMALIE_WORK_POST),
    Row("action_complete", "POST", _action_complete_url(OLIVER), OLIVER_POST_FORBIDDEN),
    Row("action_complete", "GET", _action_complete_url(AMALIE), POST_ONLY_ON_GET),
    Row(
        "consent_record",
        "POST",
        _case_url(AMALIE, "samtykke/"),
        AMALIE_WORK_POST,
        _fixed({"status": "refused", "given_by": "Far", "reason": "Vil ikke have politiet med."}),
    ),
    Row(
        "consent_record",
        "POST",
        _case_url(OLIVER, "samtykke/"),
        OLIVER_POST_FORBIDDEN,
        _fixed({"status": "not_sought", "reason": "Akut situation."}),
    ),
    # The form alone (fetched when the case page's section is opened, or its own page).
    Row("consent_record", "GET", _case_url(AMALIE, "samtykke/"), AMALIE_WORK_GET),
    Row(
        "status_change",
        "POST",
        _case_url(AMALIE, "status/"),
        AMALIE_WORK_POST,
        _fixed({"status": "follow_up"}),
    ),
    Row(
        "status_change",
        "POST",
        _case_url(OLIVER, "status/"),
        OLIVER_POST_FORBIDDEN,
        _fixed({"status": "follow_up"}),
    ),
    Row("status_change", "GET", _case_url(AMALIE, "status/"), AMALIE_WORK_GET),
    Row("group_add", "GET", _case_url(AMALIE, "gruppe/"), AMALIE_MANAGE_GET),
    Row(
        "group_add",
        "POST",
        _case_url(AMALIE, "gruppe/"),
        AMALIE_MANAGE_POST,
        lambda user: {"person": _glostrup_person("Lars Lund")},
    ),
    # Mikkel's case has no ad-hoc group yet: the POST forms it with its coordinator.
    Row(
        "group_add",
        "POST",
        _case_url(MIKKEL, "gruppe/"),
        MIKKEL_MANAGE_POST,
        lambda user: {"coordinator": _glostrup_person("Lars Lund")},
    ),
    # The coordinator of the case and its ad-hoc group: for those who steer the case.
    Row("coordinator_change", "GET", _case_url(MIKKEL, "tovholder/"), MIKKEL_MANAGE_GET),
    Row("coordinator_change", "GET", _case_url(OLIVER, "tovholder/"), OLIVER_GET_FORBIDDEN),
    Row("coordinator_change", "GET", _case_url(NOAH, "tovholder/"), NOAH_POST_FORBIDDEN),
    Row(
        "coordinator_change",
        "POST",
        _case_url(AMALIE, "tovholder/"),
        AMALIE_MANAGE_POST,
        lambda user: {"coordinator": User.objects.get(email="social@demo.ssp").pk},
    ),
    Row("group_remove", "POST", _group_remove_url, AMALIE_MANAGE_POST),
    Row("group_remove", "GET", _group_remove_url, POST_ONLY_ON_GET),
    Row("group_close", "POST", _case_url(AMALIE, "gruppe/luk/"), AMALIE_MANAGE_POST),
    Row("group_close", "GET", _case_url(AMALIE, "gruppe/luk/"), POST_ONLY_ON_GET),
    # Police never steer a case they read: status, consent, details, sharing, the group.
    Row(
        "status_change",
        "POST",
        _case_url(MIKKEL, "status/"),
        MIKKEL_WORK_POST,
        _fixed({"status": "follow_up"}),
    ),
    Row(
        "status_change",
        "POST",
        _case_url(NOAH, "status/"),
        NOAH_POST_FORBIDDEN,
        _fixed({"status": "follow_up"}),
    ),
    Row(
        "consent_record",
        "POST",
        _case_url(MIKKEL, "samtykke/"),
        MIKKEL_WORK_POST,
        _fixed({"status": "refused", "given_by": "Far", "reason": "Vil ikke."}),
    ),
    Row(
        "consent_record",
        "POST",
        _case_url(NOAH, "samtykke/"),
        NOAH_POST_FORBIDDEN,
        _fixed({"status": "refused", "given_by": "Far", "reason": "Vil ikke."}),
    ),
    Row("status_change", "GET", _case_url(MIKKEL, "status/"), MIKKEL_WORK_GET),
    Row("status_change", "GET", _case_url(NOAH, "status/"), NOAH_POST_FORBIDDEN),
    Row("consent_record", "GET", _case_url(MIKKEL, "samtykke/"), MIKKEL_WORK_GET),
    Row("consent_record", "GET", _case_url(NOAH, "samtykke/"), NOAH_POST_FORBIDDEN),
    Row("case_edit", "POST", _case_url(MIKKEL, "rediger/"), MIKKEL_MANAGE_POST, _case_edit_data),
    Row("case_edit", "GET", _case_url(NOAH, "rediger/"), NOAH_POST_FORBIDDEN),
    Row("share_add", "GET", _case_url(MIKKEL, "del/"), MIKKEL_MANAGE_GET),
    Row("share_add", "POST", _case_url(MIKKEL, "del/"), MIKKEL_MANAGE_POST, _share_data),
    Row("share_add", "POST", _case_url(OLIVER, "del/"), OLIVER_POST_FORBIDDEN, _share_to_club),
    Row("share_revoke", "POST", _mikkel_basis_revoke_url, MIKKEL_MANAGE_POST),
    Row("group_add", "GET", _case_url(MIKKEL, "gruppe/"), MIKKEL_MANAGE_GET),
    Row("group_close", "POST", _case_url(NOAH, "gruppe/luk/"), NOAH_POST_FORBIDDEN),
    Row("share_add", "GET", _case_url(OLIVER, "del/"), OLIVER_GET_FORBIDDEN),
    Row("share_add", "GET", _case_url(AMALIE, "del/"), AMALIE_MANAGE_GET),
    Row("share_add", "POST", _case_url(AMALIE, "del/"), AMALIE_MANAGE_POST, _share_data),
    Row("share_revoke", "POST", _share_revoke_url, OLIVER_POST_FORBIDDEN),
    Row("share_revoke", "GET", _share_revoke_url, POST_ONLY_ON_GET),
    # The access log: the administrators and the SSP consultants, each for their own
    # municipalities; for everyone else it does not exist.
    Row("audit_search", "GET", lambda: "/adgangslog/", AUDIT_READERS),
    Row("audit_search", "GET", lambda: "/adgangslog/?young_person=Mikkel", AUDIT_READERS),
    Row(
        "audit_search",
        "POST",
        lambda: "/adgangslog/",
        AUDIT_READERS,
        _fixed({"young_person": "0102104123"}),
    ),
    Row("audit_export", "GET", lambda: "/adgangslog/eksport.csv", AUDIT_READERS),
    Row(
        "audit_export", "GET", lambda: "/adgangslog/eksport.csv?young_person=Mikkel", AUDIT_READERS
    ),
    # The insight report about one young person: the readers of their municipality's log.
    Row("insight_report", "GET", _insight_url(MIKKEL), AUDIT_READERS),
    Row("insight_report_csv", "GET", _insight_url(MIKKEL, "indsigt.csv"), AUDIT_READERS),
    Row("insight_report_pdf", "GET", _insight_url(MIKKEL, "indsigt.pdf"), AUDIT_READERS),
    Row("insight_report", "GET", _insight_url(NOAH), NOAH_AUDIT_READERS),
    Row("insight_report_pdf", "GET", _insight_url(NOAH, "indsigt.pdf"), NOAH_AUDIT_READERS),
    Row("insight_report", "POST", _insight_url(MIKKEL), _expect(405)),
    # Legal holds, the deletion log, retention periods and note corrections: their own module.
    *RETENTION_ROWS,
    # Corrections, joining a triaged concern to a case, duplicates: their own module.
    *TRIAGE_ROWS,
    # The escalation settings and the notification follow-through: their own module.
    *ESCALATION_ROWS,
]

# Each row's URL is built from the demo data; its data from the signed-in user.
TABLE = Table(namespace="cases", rows=ROWS, personas=(*PERSONAS, ANONYMOUS))


@pytest.mark.parametrize(("row", "persona"), TABLE.params())
def test_permission_matrix(row: Row, persona: str, personas: Personas, client: Client) -> None:
    url = row.url()
    user = sign_in(client, persona, personas)

    check(client, row, persona, url=url, data=row.data(user) if row.data else {})


def test_every_cases_url_has_rows_in_the_matrix() -> None:
    names = url_names("cases")
    covered = {row.name for row in ROWS}
    assert names - covered == set(), f"cases URLs without permission rows: {names - covered}"
    assert covered - names == set(), f"rows for URLs that do not exist: {covered - names}"


def test_every_row_names_every_persona() -> None:
    for row in ROWS:
        assert set(row.expected) == set(PERSONAS), f"{row.method} {row.name} misses personas"
