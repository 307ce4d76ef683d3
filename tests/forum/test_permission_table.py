"""Who gets what on every organisation URL: a table of (persona, URL, expected status).

Staff see the organisation of their own municipalities (and their police district's
Kredsråd); everything else answers 404, never 403. Upkeep pages answer 403 to those who can
see but not administer. Every URL in forum.urls must appear here.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from forum import confirmations, logins, services
from forum.confirmation_models import EntryConfirmation, EntryCorrection
from forum.models import (
    Body,
    BodyKind,
    Membership,
    Municipality,
    MunicipalityInvitation,
    Person,
    Unit,
)
from tests.forum.page_helpers import body_type_pk
from tests.permission_table import ANONYMOUS, Row, Table, check, sign_in, url_names
from tests.personas import Personas

pytestmark = pytest.mark.django_db

GLOSTRUP_STAFF = ("consultant", "leader", "police", "police2", "social", "club")
EVERYONE = (*GLOSTRUP_STAFF, "admin", "neighbour", "outsider")


def _municipality(code: str) -> Municipality:
    return Municipality.objects.get(code=code)


def _body(name: str) -> Body:
    return Body.objects.get(name=name)


def _person(name: str, code: str = "161") -> Person:
    return Person.objects.get(full_name=name, municipality__code=code)


def _login_person(email: str) -> Person:
    return Person.objects.get(user__email=email)


def _invitation_answer_url() -> str:
    """An open invitation from Glostrup to the neighbour's existing account: only the
    neighbour may answer it; for everyone else it is not there."""
    person = services.person_create(
        municipality=_municipality("161"),
        full_name="Nanna Nabo",
        sector="school",
        email="nabo@test.ssp",
        with_login=True,
    )
    invitation = MunicipalityInvitation.objects.get(person=person)
    return f"/organisation/invitationer/{invitation.pk}/svar/"


def _held_person(code: str = "161") -> Person:
    """Someone an import added with a login whose invitation has not been sent."""
    person = services.person_create(
        municipality=_municipality(code),
        full_name="Ida Import",
        sector="school",
        email=f"ida.import.{code}@test.ssp",
    )
    logins.login_hold(person=person, by=None)
    return person


def _held_logins_url(code: str = "161", action: str = "") -> str:
    return f"/organisation/kommune/{_municipality(code).pk}/invitationer-der-venter/{action}"


def _unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


def _membership_url(person: str, action: str) -> str:
    """The URL of an action on a person's membership of SSP-team Vestervang."""
    membership = Membership.objects.get(body__name="SSP-team Vestervang", person__full_name=person)
    return f"/organisation/organ/{membership.body_id}/medlemmer/{membership.pk}/{action}/"


def _page(glostrup: int, albertslund: int, admin: int, outsider: int = 404) -> dict[str, int]:
    """Expected statuses of a page: Glostrup staff, Albertslund-only staff, admin, outsider."""
    expected = dict.fromkeys(GLOSTRUP_STAFF, glostrup)
    expected.update(admin=admin, neighbour=albertslund, outsider=outsider)
    return expected


GLOSTRUP_PAGE = _page(glostrup=200, albertslund=404, admin=200)
# Glostrup police officers also work in Albertslund.
ALBERTSLUND_PAGE = {
    **_page(glostrup=404, albertslund=200, admin=200),
    "police": 200,
    "police2": 200,
}
DISTRICT_PAGE = _page(glostrup=200, albertslund=200, admin=200)
EVERYONE_SIGNED_IN = _page(glostrup=200, albertslund=200, admin=200, outsider=200)
GLOSTRUP_UPKEEP_GET = _page(glostrup=403, albertslund=404, admin=200)
GLOSTRUP_UPKEEP_POST = _page(glostrup=403, albertslund=404, admin=302)
# What its chair may do in their own body (SSP-team Vestervang, chaired by the leader).
CHAIR_UPKEEP_POST = {**GLOSTRUP_UPKEEP_POST, "leader": 302}
# Amalie's ad-hoc group (consultant, police and social): only the readers of its case see it,
# the administrator included in the rest; nobody keeps its members here (they are chosen on
# the case, each with a basis).
ADHOC_READERS = ("consultant", "police", "social")
ADHOC_PAGE = {
    **_page(glostrup=404, albertslund=404, admin=404),
    **dict.fromkeys(ADHOC_READERS, 200),
}
OPERATORS_ONLY = dict.fromkeys(EVERYONE, 403)
ADHOC_UPKEEP = {
    **_page(glostrup=404, albertslund=404, admin=404),
    **dict.fromkeys(ADHOC_READERS, 403),
}


ANYONE_WITH_THE_LINK = {**dict.fromkeys(EVERYONE, 200), ANONYMOUS: 200}
ANYONE_POSTING = {**dict.fromkeys(EVERYONE, 422), ANONYMOUS: 422}
NOBODY_FORGED = {**dict.fromkeys(EVERYONE, 400), ANONYMOUS: 400}
GLOSTRUP_REVIEW_GET = {**GLOSTRUP_UPKEEP_GET, "consultant": 200}
GLOSTRUP_REVIEW_POST = {**GLOSTRUP_UPKEEP_POST, "consultant": 302}
ALBERTSLUND_REVIEW_GET = {
    **_page(glostrup=404, albertslund=403, admin=200),
    "police": 403,
    "police2": 403,
}


def _review_url(code: str) -> str:
    return (
        f"/organisation/kommune/{_municipality(code).pk}/bekraeftelser/{timezone.localdate().year}/"
    )


def _sent_confirmation() -> EntryConfirmation:
    """Jens Juhl's confirmation in an open round of Glostrup, mailed."""
    confirmation_round = confirmations.round_open(
        municipality=_municipality("161"), year=timezone.localdate().year
    )
    confirmation_round.closes_on = timezone.localdate() + timedelta(days=10)
    confirmation_round.save(update_fields=["closes_on"])
    confirmations.confirmations_send(confirmation_round=confirmation_round)
    return EntryConfirmation.objects.get(round=confirmation_round, person__full_name="Jens Juhl")


def _entry_link() -> str:
    return f"/organisation/bekraeft/{confirmations.token_for(_sent_confirmation())}/"


def _pending_correction() -> EntryCorrection:
    return confirmations.entry_correct(
        confirmation=_sent_confirmation(), changes={"job_title": "Natteravn"}
    )


def _adhoc() -> Body:
    return Body.objects.get(kind=BodyKind.AD_HOC)


def _adhoc_membership_url(action: str) -> str:
    membership = Membership.objects.get(body=_adhoc(), person__full_name="Sara Skov")
    return f"/organisation/organ/{membership.body_id}/medlemmer/{membership.pk}/{action}/"


ROWS = [
    # Staff of one municipality go straight to it; others choose among theirs.
    Row(
        "index",
        "GET",
        lambda: "/organisation/",
        {**_page(302, 302, 200, 200), "police": 200, "police2": 200},
    ),
    Row(
        "organisation",
        "GET",
        lambda: f"/organisation/kommune/{_municipality('161').pk}/",
        GLOSTRUP_PAGE,
    ),
    Row(
        "organisation",
        "GET",
        lambda: f"/organisation/kommune/{_municipality('165').pk}/",
        ALBERTSLUND_PAGE,
    ),
    Row(
        "body_detail",
        "GET",
        lambda: f"/organisation/organ/{_body('SSP-team Vestervang').pk}/",
        GLOSTRUP_PAGE,
    ),
    Row(
        "body_detail",
        "GET",
        lambda: f"/organisation/organ/{_body('SSP-team Herstedvester').pk}/",
        ALBERTSLUND_PAGE,
    ),
    Row(
        "body_detail",
        "GET",
        lambda: f"/organisation/organ/{_body('Kredsrådet for Københavns Vestegn').pk}/",
        DISTRICT_PAGE,
    ),
    Row("body_detail", "GET", lambda: f"/organisation/organ/{_adhoc().pk}/", ADHOC_PAGE),
    Row("body_edit", "GET", lambda: f"/organisation/organ/{_adhoc().pk}/rediger/", ADHOC_UPKEEP),
    Row(
        "membership_add",
        "POST",
        lambda: f"/organisation/organ/{_adhoc().pk}/medlemmer/",
        ADHOC_UPKEEP,
        lambda: {"person": _person("Anne Andersen").pk, "role": "member"},
    ),
    Row("membership_role", "POST", lambda: _adhoc_membership_url("rolle"), ADHOC_UPKEEP),
    Row("membership_remove", "POST", lambda: _adhoc_membership_url("fjern"), ADHOC_UPKEEP),
    Row(
        "person_detail",
        "GET",
        lambda: f"/organisation/person/{_person('Lars Lund').pk}/",
        GLOSTRUP_PAGE,
    ),
    Row(
        "person_detail",
        "GET",
        lambda: f"/organisation/person/{_person('Ole Olsen', '165').pk}/",
        ALBERTSLUND_PAGE,
    ),
    Row(
        "unit_detail",
        "GET",
        lambda: f"/organisation/enhed/{_unit('Varmeværket').pk}/",
        GLOSTRUP_PAGE,
    ),
    Row("directory", "GET", lambda: "/organisation/aktoerer/", EVERYONE_SIGNED_IN),
    Row(
        "body_create",
        "GET",
        lambda: f"/organisation/kommune/{_municipality('161').pk}/organer/nyt/",
        GLOSTRUP_UPKEEP_GET,
    ),
    Row(
        "body_create",
        "POST",
        lambda: f"/organisation/kommune/{_municipality('161').pk}/organer/nyt/",
        GLOSTRUP_UPKEEP_POST,
        lambda: {
            "body_type": body_type_pk("working_group"),
            "name": "Ny arbejdsgruppe",
            "parent": _body("SSP-Forum Glostrup").pk,
        },
    ),
    Row(
        "body_edit",
        "GET",
        lambda: f"/organisation/organ/{_body('SSP-team Vestervang').pk}/rediger/",
        GLOSTRUP_UPKEEP_GET,
    ),
    Row(
        "body_edit",
        "POST",
        lambda: f"/organisation/organ/{_body('Aktivitetsgruppen').pk}/rediger/",
        GLOSTRUP_UPKEEP_POST,
        lambda: {
            "body_type": body_type_pk("working_group"),
            "name": "Aktivitetsgruppen",
            "parent": _body("SSP-Forum Glostrup").pk,
            "meeting_rhythm": "Hver anden måned",
        },
    ),
    Row(
        "person_create",
        "GET",
        lambda: f"/organisation/kommune/{_municipality('161').pk}/personer/ny/",
        GLOSTRUP_UPKEEP_GET,
    ),
    Row(
        "person_create",
        "POST",
        lambda: f"/organisation/kommune/{_municipality('161').pk}/personer/ny/",
        GLOSTRUP_UPKEEP_POST,
        lambda: {"full_name": "Ny Kontakt", "sector": "other", "phone": "+45 12 34 56 78"},
    ),
    Row(
        "person_edit",
        "GET",
        lambda: f"/organisation/person/{_person('Jens Juhl').pk}/rediger/",
        GLOSTRUP_UPKEEP_GET,
    ),
    Row(
        "person_edit",
        "POST",
        lambda: f"/organisation/person/{_person('Jens Juhl').pk}/rediger/",
        GLOSTRUP_UPKEEP_POST,
        lambda: {"full_name": "Jens Juhl", "sector": "other", "job_title": "Frivillig koordinator"},
    ),
    # A lost phone: the municipality's administrators reset the person's two-factor login.
    Row(
        "person_second_factor_reset",
        "POST",
        lambda: f"/organisation/person/{_login_person('social@demo.ssp').pk}/nulstil-totrinslogin/",
        GLOSTRUP_UPKEEP_POST,
    ),
    Row(
        "person_second_factor_reset",
        "GET",
        lambda: f"/organisation/person/{_login_person('social@demo.ssp').pk}/nulstil-totrinslogin/",
        _page(glostrup=405, albertslund=405, admin=405, outsider=405),
    ),
    # Invitations held back (an import's logins) and not yet taken up: the administrators'.
    Row("held_logins", "GET", lambda: _held_logins_url(), GLOSTRUP_UPKEEP_GET),
    # The menu's way in: a choice of the two municipalities the demo's administrator has.
    Row(
        "held_logins_index",
        "GET",
        lambda: "/organisation/invitationer-der-venter/",
        {**dict.fromkeys(EVERYONE, 403), "admin": 200},
    ),
    Row(
        "held_logins_send",
        "POST",
        lambda: _held_logins_url(action="send/"),
        # The confirmation page, naming how many go out.
        _page(glostrup=403, albertslund=404, admin=200),
        lambda: {"held": str(_held_person().held_login.pk)},
    ),
    Row(
        "held_logins_send",
        "GET",
        lambda: _held_logins_url(action="send/"),
        _page(glostrup=405, albertslund=405, admin=405, outsider=405),
    ),
    Row(
        "person_login_send",
        "POST",
        lambda: f"/organisation/person/{_held_person().pk}/invitation/send/",
        GLOSTRUP_UPKEEP_POST,
    ),
    Row(
        "person_login_send",
        "GET",
        lambda: f"/organisation/person/{_held_person().pk}/invitation/send/",
        _page(glostrup=405, albertslund=405, admin=405, outsider=405),
    ),
    Row(
        "person_login_resend",
        "POST",
        lambda: f"/organisation/person/{_person('Jens Juhl').pk}/invitation/send-igen/",
        GLOSTRUP_UPKEEP_POST,
    ),
    Row(
        "person_login_resend",
        "GET",
        lambda: f"/organisation/person/{_person('Jens Juhl').pk}/invitation/send-igen/",
        _page(glostrup=405, albertslund=405, admin=405, outsider=405),
    ),
    Row(
        "age_bands",
        "GET",
        lambda: f"/organisation/kommune/{_municipality('161').pk}/aldersgrupper/",
        GLOSTRUP_UPKEEP_GET,
    ),
    Row(
        "age_bands",
        "POST",
        lambda: f"/organisation/kommune/{_municipality('161').pk}/aldersgrupper/",
        GLOSTRUP_UPKEEP_POST,
        lambda: {"ssp_age_limit": "17", "ssp_plus_age_limit": "24"},
    ),
    Row(
        "body_type_create",
        "GET",
        lambda: f"/organisation/kommune/{_municipality('161').pk}/organtyper/ny/",
        GLOSTRUP_UPKEEP_GET,
    ),
    Row(
        "body_type_create",
        "POST",
        lambda: f"/organisation/kommune/{_municipality('161').pk}/organtyper/ny/",
        GLOSTRUP_UPKEEP_POST,
        lambda: {"name": "Lokal Følgegruppe Syd", "kind": "working_group"},
    ),
    Row(
        "body_type_edit",
        "GET",
        lambda: (
            f"/organisation/kommune/{_municipality('161').pk}/organtyper/"
            f"{body_type_pk('working_group')}/rediger/"
        ),
        GLOSTRUP_UPKEEP_GET,
    ),
    Row(
        "body_type_edit",
        "POST",
        lambda: (
            f"/organisation/kommune/{_municipality('161').pk}/organtyper/"
            f"{body_type_pk('working_group')}/rediger/"
        ),
        GLOSTRUP_UPKEEP_POST,
        lambda: {"name": "Arbejdsgruppe", "kind": "working_group", "meeting_rhythm": "Efter behov"},
    ),
    Row(
        "unit_create",
        "GET",
        lambda: f"/organisation/kommune/{_municipality('161').pk}/enheder/ny/",
        GLOSTRUP_UPKEEP_GET,
    ),
    Row(
        "unit_create",
        "POST",
        lambda: f"/organisation/kommune/{_municipality('161').pk}/enheder/ny/",
        GLOSTRUP_UPKEEP_POST,
        lambda: {"name": "Ny klub", "sector": "leisure"},
    ),
    Row(
        "unit_edit",
        "GET",
        lambda: f"/organisation/enhed/{_unit('Varmeværket').pk}/rediger/",
        GLOSTRUP_UPKEEP_GET,
    ),
    Row(
        "unit_edit",
        "POST",
        lambda: f"/organisation/enhed/{_unit('Natteravnene').pk}/rediger/",
        GLOSTRUP_UPKEEP_POST,
        lambda: {"name": "Natteravnene", "sector": "other", "website": "natteravnene.dk"},
    ),
    Row(
        "membership_add",
        "POST",
        lambda: f"/organisation/organ/{_body('SSP-team Søndervang').pk}/medlemmer/",
        GLOSTRUP_UPKEEP_POST,
        lambda: {"person": _person("Henrik Holm").pk, "role": "member"},
    ),
    # The team's chair (the leader) keeps its members current (forum/delegation.py).
    Row(
        "membership_add",
        "POST",
        lambda: f"/organisation/organ/{_body('SSP-team Vestervang').pk}/medlemmer/",
        CHAIR_UPKEEP_POST,
        lambda: {"person": _person("Henrik Holm").pk, "role": "member"},
    ),
    Row(
        "membership_role",
        "POST",
        lambda: _membership_url("Kasper Krog", "rolle"),
        CHAIR_UPKEEP_POST,
        lambda: {"role": "guest"},
    ),
    Row(
        "membership_remove",
        "POST",
        lambda: _membership_url("Gitte Gram", "fjern"),
        CHAIR_UPKEEP_POST,
    ),
    Row(
        "person_for_body",
        "GET",
        lambda: (
            f"/organisation/organ/{_body('SSP-team Vestervang').pk}/medlemmer/ny-kontaktperson/"
        ),
        {**GLOSTRUP_UPKEEP_GET, "leader": 200},
    ),
    Row(
        "person_for_body",
        "POST",
        lambda: (
            f"/organisation/organ/{_body('SSP-team Vestervang').pk}/medlemmer/ny-kontaktperson/"
        ),
        CHAIR_UPKEEP_POST,
        lambda: {"full_name": "Ny Kontakt", "sector": "other", "role": "member"},
    ),
    Row(
        "person_for_body",
        "GET",
        lambda: (
            f"/organisation/organ/{_body('SSP-team Søndervang').pk}/medlemmer/ny-kontaktperson/"
        ),
        GLOSTRUP_UPKEEP_GET,
    ),
    Row(
        "person_for_body",
        "GET",
        lambda: (
            f"/organisation/organ/{_body('SSP-team Herstedvester').pk}/medlemmer/ny-kontaktperson/"
        ),
        {**_page(glostrup=404, albertslund=403, admin=200), "police": 403, "police2": 403},
    ),
    Row(
        "person_for_body",
        "GET",
        lambda: f"/organisation/organ/{_adhoc().pk}/medlemmer/ny-kontaktperson/",
        ADHOC_UPKEEP,
    ),
    # The spring confirmation (forum/confirmations.py): the actor's own page behind a signed
    # link, for anyone holding it; the overview for the consultants and the administrators.
    Row("entry_confirm", "GET", lambda: _entry_link(), ANYONE_WITH_THE_LINK),
    Row(
        "entry_confirm",
        "POST",
        lambda: _entry_link(),
        # A correction without a name: refused with the input kept, for whoever holds the link
        # (a confirmation redirects back to the page, which the table reserves for sign-in).
        ANYONE_POSTING,
        lambda: {"action": "correct", "full_name": ""},
    ),
    Row("entry_confirm", "GET", lambda: "/organisation/bekraeft/forfalsket:link/", NOBODY_FORGED),
    Row(
        "entry_reviews",
        "GET",
        lambda: "/organisation/bekraeftelser/",
        {**EVERYONE_SIGNED_IN, "consultant": 302},
    ),
    Row("entry_review", "GET", lambda: _review_url("161"), GLOSTRUP_REVIEW_GET),
    Row("entry_review", "GET", lambda: _review_url("165"), ALBERTSLUND_REVIEW_GET),
    Row("entry_round_start", "POST", lambda: _review_url("161") + "start/", GLOSTRUP_REVIEW_POST),
    Row(
        "confirmation_resend",
        "POST",
        lambda: f"/organisation/bekraeftelse/{_sent_confirmation().pk}/gensend/",
        GLOSTRUP_REVIEW_POST,
    ),
    Row(
        "correction_decide",
        "POST",
        lambda: f"/organisation/rettelse/{_pending_correction().pk}/",
        GLOSTRUP_REVIEW_POST,
        lambda: {"decision": "reject"},
    ),
    # Setting up a new municipality is the platform operators' (superusers'); a municipal
    # administrator is refused too (tests/forum/test_municipality_setup.py signs one in).
    Row("municipality_setup", "GET", lambda: "/organisation/kommune/ny/", OPERATORS_ONLY),
    Row(
        "municipality_setup",
        "POST",
        lambda: "/organisation/kommune/ny/",
        OPERATORS_ONLY,
        lambda: {
            "name": "Køge",
            "code": "259",
            "new_police_district": "Midt- og Vestsjællands Politi",
            "preset": "koege",
            "administrators": "Ada Admin, ada@koege.example",
        },
    ),
    # Invitations of an existing account to another municipality: answered by its owner only.
    Row("invitations", "GET", lambda: "/organisation/invitationer/", EVERYONE_SIGNED_IN),
    Row(
        "invitation_answer",
        "POST",
        _invitation_answer_url,
        {**_page(glostrup=404, albertslund=302, admin=404), "outsider": 404},
        lambda: {"answer": "accept"},
    ),
    Row(
        "invitation_answer",
        "GET",
        _invitation_answer_url,
        _page(glostrup=405, albertslund=405, admin=405, outsider=405),
    ),
]

# Each row's URL and data are built from the demo data.
TABLE = Table(namespace="forum", rows=ROWS, personas=(*EVERYONE, ANONYMOUS))


@pytest.mark.parametrize(("row", "persona"), TABLE.params())
def test_permission_table(row: Row, persona: str, personas: Personas, client: Client) -> None:
    url = row.url()
    sign_in(client, persona, personas)

    check(client, row, persona, url=url, data=row.data() if row.data else {})


def test_every_organisation_url_has_rows_in_the_table() -> None:
    names = url_names("forum")
    covered = {row.name for row in ROWS}
    assert names - covered == set(), f"forum URLs without permission rows: {names - covered}"
