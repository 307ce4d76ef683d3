"""Several young people per concern, and cases about a group or a place (the "specifik"
level), with each young person shown only to readers whose access covers them (rule S,
`cases/subject_permissions.py`).

The cast: A is a pupil at Vestervang, B at Nordvang. The club worker and the school leader sit
in Vestervang's SSP team only; the social worker sits in both teams; the consultant triages.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases import insight, permissions, services
from cases.forms.concern_people import OtherYoungPeopleFormSet
from cases.models import (
    Case,
    CaseSubject,
    Concern,
    ConcernCategory,
    ConcernPerson,
    ConcernStatus,
    DeletionRecord,
    NotificationStatus,
    PreventionKind,
    PreventionLevel,
    SubjectKind,
    YoungPerson,
)
from forum.models import Body, Municipality, Unit
from ssp.models import AuditEvent, User
from tests.personas import Personas

pytestmark = pytest.mark.django_db

VESTERVANG = "Glostrup Skole, afdeling Vestervang"
NORDVANG = "Glostrup Skole, afdeling Nordvang"
A_NAME = "Testa Gruppesen"
B_NAME = "Bertram Skjultsen"
HIDDEN = "En anden ung"


def _glostrup() -> Municipality:
    return Municipality.objects.get(code="161")


def _pupil(name: str, school: str, by: User) -> YoungPerson:
    return services.young_person_find_or_create(
        municipality=_glostrup(),
        full_name=name,
        birth_date=timezone.localdate().replace(year=timezone.localdate().year - 15),
        school=Unit.objects.get(name=school),
        created_by=by,
    )


def _category() -> ConcernCategory:
    return ConcernCategory.objects.get(municipality=_glostrup(), name="Kriminalitet")


def _group_case(personas: Personas, *people: YoungPerson, **extra: object) -> Case:
    return services.case_open(
        municipality=_glostrup(),
        subjects=list(people),
        subject_description="Ældre drenge ved stationen",
        responsible_body=Body.objects.get(name="SSP-team Vestervang"),
        opened_by=personas.consultant,
        level=PreventionLevel.SPECIFIC,
        prevention_kind=PreventionKind.REACTIVE,
        **extra,
    )


@pytest.fixture
def pair(personas: Personas) -> tuple[YoungPerson, YoungPerson]:
    return (
        _pupil(A_NAME, VESTERVANG, personas.consultant),
        _pupil(B_NAME, NORDVANG, personas.consultant),
    )


def _page(user: User, url: str) -> tuple[int, str, AuditEvent | None]:
    client = Client()
    client.force_login(user)
    before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = client.get(url)
    event = AuditEvent.objects.filter(pk__gt=before, user_id=user.pk, action="view").first()
    return response.status_code, response.content.decode(), event


# --- Rule S on a group case --------------------------------------------------------------------


def test_a_team_member_reads_the_group_case_with_only_their_own_pupil_named(
    personas: Personas, pair: tuple[YoungPerson, YoungPerson]
) -> None:
    a, b = pair
    case = _group_case(personas, a, b)
    for reader in (personas.club, personas.leader):
        status, page, event = _page(reader, case.get_absolute_url())

        assert status == 200
        assert A_NAME in page, f"{reader.email} should see their own pupil A"
        assert B_NAME not in page, f"LEAK: {reader.email} (Vestervang only) was shown B's name"
        assert NORDVANG not in page, f"LEAK: {reader.email} was shown B's school"
        assert HIDDEN in page
        assert event is not None
        assert event.shown_subjects == [a.pk], (
            f"the access log must name only the young people shown to {reader.email}"
        )


def test_the_consultant_and_a_member_of_both_schools_teams_see_every_young_person(
    personas: Personas, pair: tuple[YoungPerson, YoungPerson]
) -> None:
    a, b = pair
    case = _group_case(personas, a, b)
    for reader in (personas.consultant, personas.social):
        status, page, event = _page(reader, case.get_absolute_url())

        assert status == 200
        assert A_NAME in page, reader.email
        assert B_NAME in page, reader.email
        assert HIDDEN not in page
        assert event is not None
        assert sorted(event.shown_subjects) == sorted([a.pk, b.pk])


def test_a_basis_given_to_the_body_on_the_group_case_shows_it_the_whole_group(
    personas: Personas, pair: tuple[YoungPerson, YoungPerson]
) -> None:
    a, b = pair
    case = _group_case(
        personas,
        a,
        b,
        body_basis=services.BasisRequest(
            purpose="Teamet arbejder med hele gruppen ved stationen.",
            criteria=dict.fromkeys(services.SHARE_CRITERIA, True),
        ),
    )

    status, page, _event = _page(personas.club, case.get_absolute_url())
    assert status == 200
    assert B_NAME in page
    # The §115 basis reaches the police officer in the team too, with the whole group.
    status, page, _event = _page(personas.police, case.get_absolute_url())
    assert status == 200
    assert A_NAME in page
    assert B_NAME in page


def test_a_reader_of_a_young_persons_own_case_is_shown_them_in_the_group(
    personas: Personas, pair: tuple[YoungPerson, YoungPerson]
) -> None:
    a, b = pair
    group = _group_case(personas, a, b)
    services.case_open(
        municipality=_glostrup(),
        young_person=b,
        responsible_body=Body.objects.get(name="SSP-team Vestervang"),
        opened_by=personas.consultant,
        level=PreventionLevel.INDIVIDUAL,
        prevention_kind=PreventionKind.REACTIVE,
    )

    status, page, event = _page(personas.club, group.get_absolute_url())
    assert status == 200
    assert B_NAME in page, "the club worker reads B's own case, so B is no secret to them"
    assert sorted(event.shown_subjects) == sorted([a.pk, b.pk])


def test_someone_who_cannot_read_the_group_case_gets_404(
    personas: Personas, pair: tuple[YoungPerson, YoungPerson]
) -> None:
    case = _group_case(personas, *pair)
    # Police sit in the team, but membership is not a basis (§115 stk. 2).
    for reader in (personas.police, personas.police2, personas.neighbour, personas.outsider):
        status, page, _event = _page(reader, case.get_absolute_url())
        assert status == 404, reader.email
        assert A_NAME not in page
        assert B_NAME not in page


def test_lists_show_the_group_by_its_description_and_name_no_one(
    personas: Personas, pair: tuple[YoungPerson, YoungPerson]
) -> None:
    case = _group_case(personas, *pair)
    client = Client()
    client.force_login(personas.club)
    page = client.get("/sager/").content.decode()

    assert f'href="{case.get_absolute_url()}"' in page
    assert "Ældre drenge ved stationen" in page
    assert A_NAME not in page
    assert B_NAME not in page


# --- The database's rule ----------------------------------------------------------------------


def test_an_individual_case_without_a_young_person_is_refused_by_the_database(
    personas: Personas,
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(
            municipality=_glostrup(),
            responsible_body=Body.objects.get(name="SSP-team Vestervang"),
            opened_by=personas.consultant,
            level=PreventionLevel.INDIVIDUAL,
            subject_description="Stationen",
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(
            municipality=_glostrup(),
            responsible_body=Body.objects.get(name="SSP-team Vestervang"),
            opened_by=personas.consultant,
            level=PreventionLevel.SPECIFIC,
        )


# --- A concern naming several young people ------------------------------------------------------


def _form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "municipality": _glostrup().pk,
        "subject_kind": SubjectKind.PERSON,
        "full_name": A_NAME,
        "birth_date": "",
        "cpr_number": "",
        "school": Unit.objects.get(name=VESTERVANG).pk,
        "subject_description": "",
        "category": _category().pk,
        "description": "Tre drenge truede yngre elever ved stationen.",
        "observed_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "location": "Stationen",
        "urgency": "normal",
        "notification_status": NotificationStatus.NOT_RELEVANT,
        "notified_by": "",
        "notified_on": "",
        "submission_token": str(uuid.uuid4()),
        "andre-TOTAL_FORMS": "3",
        "andre-INITIAL_FORMS": "0",
        "andre-MIN_NUM_FORMS": "0",
        "andre-MAX_NUM_FORMS": "20",
    }
    for index in range(3):
        for name in ("full_name", "birth_date", "cpr_number", "school"):
            data[f"andre-{index}-{name}"] = ""
    data.update(overrides)
    return data


def test_a_reporter_names_several_young_people_and_the_concern_becomes_one_about_a_group(
    personas: Personas,
) -> None:
    client = Client()
    client.force_login(personas.club)
    response = client.post(
        "/bekymringer/ny/",
        _form(
            **{
                "andre-0-full_name": B_NAME,
                "andre-0-school": Unit.objects.get(name=NORDVANG).pk,
                "andre-1-full_name": "Carl Tredjesen",
            }
        ),
    )

    assert response.status_code == 302
    concern = Concern.objects.get(description="Tre drenge truede yngre elever ved stationen.")
    assert concern.subject_kind == SubjectKind.GROUP
    assert concern.young_person_id is None
    # Each typed-in young person is kept as typed, none matched for the reporter.
    assert [(p.young_person_id, p.reported_name) for p in concern.people.all()] == [
        (None, A_NAME),
        (None, B_NAME),
        (None, "Carl Tredjesen"),
    ]
    assert concern.people.get(position=1).reported_school.name == NORDVANG
    # The first named young person's school team hears of it, as for a concern about one.
    assert concern.school_team.name == "SSP-team Vestervang"


def _unit_reads(client: Client) -> tuple[int, str]:
    """The rows as the form's "more young people" section fetches them when opened."""
    with CaptureQueriesContext(connection) as captured:
        page = client.get(
            "/bekymringer/ny/flere-unge/", {"municipality": _glostrup().pk}
        ).content.decode()
    return sum('FROM "forum_unit"' in query["sql"] for query in captured), page


def test_the_rows_offer_the_schools_read_once_and_refuse_another_municipalitys(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = Client()
    client.force_login(personas.club)
    three_rows, page = _unit_reads(client)
    monkeypatch.setattr(OtherYoungPeopleFormSet, "extra", 6)
    six_rows, six_page = _unit_reads(client)

    # The rows share one read of the schools, however many rows.
    assert three_rows == six_rows == 1
    nordvang = Unit.objects.get(name=NORDVANG)
    assert 'name="andre-5-school"' in six_page
    assert (
        six_page.count(f'<option value="{nordvang.pk}">')
        == page.count(f'<option value="{nordvang.pk}">') + 3
    )

    elsewhere = Unit.objects.exclude(municipality__code="161").filter(sector="school").first()
    assert elsewhere is not None
    response = client.post(
        "/bekymringer/ny/",
        _form(**{"andre-0-full_name": B_NAME, "andre-0-school": elsewhere.pk}),
    )
    assert response.status_code == 422
    assert not Concern.objects.filter(description__startswith="Tre drenge").exists()


def test_a_blank_row_needs_a_name_when_anything_else_is_typed_in_it(personas: Personas) -> None:
    client = Client()
    client.force_login(personas.club)
    response = client.post("/bekymringer/ny/", _form(**{"andre-0-cpr_number": "010203"}))

    assert response.status_code == 422
    assert "Skriv den unges navn, eller tøm rækken." in response.content.decode()
    assert not Concern.objects.filter(description__startswith="Tre drenge").exists()


def test_a_concern_form_without_the_rows_names_one_young_person_as_before(
    personas: Personas,
) -> None:
    client = Client()
    client.force_login(personas.club)
    data = {k: v for k, v in _form().items() if not k.startswith("andre-")}
    response = client.post("/bekymringer/ny/", data)

    assert response.status_code == 302
    concern = Concern.objects.get(description__startswith="Tre drenge")
    assert (concern.young_person_id, concern.reported_name) == (None, A_NAME)
    assert not concern.people.exists()


def test_the_school_team_chair_sees_the_new_group_concern_with_only_their_pupil_named(
    personas: Personas, pair: tuple[YoungPerson, YoungPerson]
) -> None:
    a, b = pair
    concern = services.concern_submit(
        author=personas.police2,
        municipality=_glostrup(),
        subject_kind=SubjectKind.PERSON,
        young_person=a,
        category=_category(),
        description="Gruppen truede yngre elever.",
        observed_on=timezone.localdate(),
        other_young_people=[services.ReportedIdentity(full_name=B_NAME, school=b.school)],
    )
    assert concern.people.count() == 2

    status, page, event = _page(personas.leader, concern.get_absolute_url())
    assert status == 200
    assert A_NAME in page
    assert B_NAME not in page, "LEAK: Vestervang's chair was shown the Nordvang pupil's name"
    assert HIDDEN in page
    assert event.subject_id is None
    assert event.shown_subjects == [a.pk]


def test_a_reporter_who_names_a_child_by_cpr_sees_only_what_they_typed(
    personas: Personas,
) -> None:
    """Typing a known child's CPR number with a made-up name reveals nothing: the author's
    page shows the name they typed, and the child does not enter their lookup."""
    known = services.young_person_find_or_create(
        municipality=_glostrup(),
        full_name="Rigtig Registreretsen",
        cpr_number="070707-7079",
        created_by=personas.consultant,
    )
    concern = services.concern_submit(
        author=personas.police2,
        municipality=_glostrup(),
        subject_kind=SubjectKind.GROUP,
        subject_description="Drenge ved stationen",
        category=_category(),
        description="Set ved stationen.",
        observed_on=timezone.localdate(),
        other_young_people=[
            services.ReportedIdentity(full_name="Opdigtet Navnesen", cpr_number="070707-7079"),
            services.ReportedIdentity(full_name="Anden Dreng"),
        ],
    )

    assert not concern.people.filter(young_person=known).exists(), "matched for the reporter"
    typed = concern.people.get(position=0)
    assert (typed.young_person_id, typed.reported_cpr_hash) == (None, known.cpr_hash)
    status, page, _event = _page(personas.police2, concern.get_absolute_url())
    assert status == 200
    assert "Opdigtet Navnesen" in page
    assert "Rigtig Registreretsen" not in page, "LEAK: the CPR number revealed the stored name"
    assert not permissions.young_people_visible_to(personas.police2).filter(pk=known.pk).exists()

    # The consultant sees the possible match and settles it.
    status, page, _event = _page(personas.consultant, concern.get_absolute_url())
    assert status == 200
    assert "Muligt match" in page
    assert "Rigtig Registreretsen" in page
    client = Client()
    client.force_login(personas.consultant)
    response = client.post(
        f"/bekymringer/{concern.pk}/ung/{typed.pk}/", {"young_person": str(known.pk)}
    )
    assert response.status_code == 302
    typed.refresh_from_db()
    assert (typed.young_person_id, typed.reported_name) == (known.pk, "Opdigtet Navnesen")
    # The reporter still sees only what they typed.
    status, page, _event = _page(personas.police2, concern.get_absolute_url())
    assert "Opdigtet Navnesen" in page
    assert "Rigtig Registreretsen" not in page, "LEAK: the settled match reached the reporter"


def test_registering_a_typed_row_anew_is_refused_for_a_registered_cpr_number(
    personas: Personas,
) -> None:
    services.young_person_find_or_create(
        municipality=_glostrup(),
        full_name="Rigtig Registreretsen",
        cpr_number="070707-7079",
        created_by=personas.consultant,
    )
    concern = services.concern_submit(
        author=personas.police2,
        municipality=_glostrup(),
        subject_kind=SubjectKind.GROUP,
        subject_description="Drenge ved stationen",
        category=_category(),
        description="Set ved stationen.",
        observed_on=timezone.localdate(),
        other_young_people=[
            services.ReportedIdentity(full_name="Opdigtet Navnesen", cpr_number="070707-7079"),
            services.ReportedIdentity(full_name="Anden Dreng"),
        ],
    )
    typed = concern.people.get(position=0)
    with pytest.raises(ValidationError):
        services.concern_resolve_young_person(concern=concern, by=personas.consultant, person=typed)
    client = Client()
    client.force_login(personas.consultant)
    response = client.post(f"/bekymringer/{concern.pk}/ung/{typed.pk}/", {"young_person": "new"})
    assert response.status_code == 422
    assert "allerede registreret: vælg den registrerede unge" in response.content.decode()
    typed.refresh_from_db()
    assert typed.young_person_id is None
    # Opening a case waits for the consultant's choice.
    with pytest.raises(ValidationError, match="ligner en allerede registreret ung"):
        services.concern_open_group_case(
            concern=concern,
            by=personas.consultant,
            responsible_body=Body.objects.get(name="Mandagsgruppen (§115)"),
            prevention_kind=PreventionKind.REACTIVE,
            subject_description="Drenge ved stationen",
        )


# --- Triage: a case about a group or a place ---------------------------------------------------


def _triage(client: Client, user: User, concern: Concern, **data: object):  # type: ignore[no-untyped-def]
    client.force_login(user)
    form = {"level": PreventionLevel.INDIVIDUAL, "prevention_kind": PreventionKind.REACTIVE}
    form.update(data)
    return client.post(f"/bekymringer/{concern.pk}/visiter/", form)


def test_the_consultant_opens_a_group_case_from_a_concern_naming_several(
    client: Client, personas: Personas, pair: tuple[YoungPerson, YoungPerson]
) -> None:
    a, b = pair
    concern = services.concern_submit(
        author=personas.club,
        municipality=_glostrup(),
        subject_kind=SubjectKind.PERSON,
        young_person=a,
        category=_category(),
        description="Gruppen truede yngre elever.",
        observed_on=timezone.localdate(),
        other_young_people=[services.ReportedIdentity(full_name=B_NAME, school=b.school)],
    )
    typed_b = concern.people.get(position=1)
    assert typed_b.young_person_id is None
    # B's typed name is a registered young person's: the case waits for the consultant.
    refused = _triage(
        client,
        personas.consultant,
        concern,
        decision="open_group_case",
        body=Body.objects.get(name="Mandagsgruppen (§115)").pk,
        group_description="Ældre drenge ved stationen",
    )
    assert refused.status_code == 422
    assert "ligner en allerede registreret ung" in refused.content.decode()
    settled = client.post(
        f"/bekymringer/{concern.pk}/ung/{typed_b.pk}/", {"young_person": str(b.pk)}
    )
    assert settled.status_code == 302
    response = _triage(
        client,
        personas.consultant,
        concern,
        decision="open_group_case",
        body=Body.objects.get(name="Mandagsgruppen (§115)").pk,
        group_description="Ældre drenge ved stationen",
    )

    assert response.status_code == 302
    concern.refresh_from_db()
    case = concern.case
    assert concern.status == ConcernStatus.LINKED
    assert case.young_person_id is None
    assert case.level == PreventionLevel.SPECIFIC
    assert case.subject_description == "Ældre drenge ved stationen"
    assert list(case.subjects.values_list("young_person_id", flat=True)) == [a.pk, b.pk]
    assert response["Location"] == case.get_absolute_url()


def test_the_consultant_opens_a_place_case_with_no_names(
    client: Client, personas: Personas
) -> None:
    station = Concern.objects.get(subject_description="Stationsforpladsen")
    response = _triage(
        client,
        personas.consultant,
        station,
        decision="open_group_case",
        body=Body.objects.get(name="Mandagsgruppen (§115)").pk,
        group_description="Stationsforpladsen",
    )

    assert response.status_code == 302
    station.refresh_from_db()
    assert station.case.young_person_id is None
    assert not station.case.subjects.exists()
    status, page, _event = _page(personas.consultant, station.case.get_absolute_url())
    assert status == 200
    assert "Stationsforpladsen" in page
    assert "Ingen navngivne unge" in page


def test_a_group_case_needs_a_description(client: Client, personas: Personas) -> None:
    station = Concern.objects.get(subject_description="Stationsforpladsen")
    response = _triage(
        client,
        personas.consultant,
        station,
        decision="open_group_case",
        body=Body.objects.get(name="Mandagsgruppen (§115)").pk,
        group_description=" ",
    )

    assert response.status_code == 422
    assert "Beskriv kort gruppen eller stedet." in response.content.decode()
    station.refresh_from_db()
    assert station.case_id is None


# --- Insight and erasure -----------------------------------------------------------------------


def test_the_insight_report_of_a_young_person_lists_their_group_cases_and_concerns(
    personas: Personas, pair: tuple[YoungPerson, YoungPerson]
) -> None:
    a, b = pair
    case = _group_case(personas, a, b)
    concern = services.concern_submit(
        author=personas.club,
        municipality=_glostrup(),
        subject_kind=SubjectKind.PERSON,
        young_person=a,
        category=_category(),
        description="Gruppen igen.",
        observed_on=timezone.localdate(),
        other_young_people=[services.ReportedIdentity(full_name=B_NAME, school=b.school)],
    )
    # Typed in, B is no one registered until the consultant says who it is.
    assert concern not in insight.insight_concerns(b)
    services.concern_resolve_young_person(
        concern=concern,
        by=personas.consultant,
        young_person=b,
        person=concern.people.get(position=1),
    )

    assert case in insight.insight_cases(b)
    assert concern in insight.insight_concerns(b)
    client = Client()
    client.force_login(personas.consultant)
    page = client.get(f"/adgangslog/ung/{b.pk}/").content.decode()
    assert f"{case.pk}" in page


def test_erasing_a_young_person_takes_them_out_of_groups_and_erases_what_was_only_theirs(
    personas: Personas, pair: tuple[YoungPerson, YoungPerson]
) -> None:
    a, b = pair
    shared = _group_case(personas, a, b)
    only_b = _group_case(personas, b)
    concern = services.concern_submit(
        author=personas.club,
        municipality=_glostrup(),
        subject_kind=SubjectKind.GROUP,
        subject_description="To drenge",
        category=_category(),
        description="To drenge ved stationen.",
        observed_on=timezone.localdate(),
        other_young_people=[
            services.ReportedIdentity(full_name=A_NAME + " (skrevet)"),
            services.ReportedIdentity(full_name="Kun B-agtig"),
        ],
    )
    services.concern_link_to_case(concern=concern, case=shared, by=personas.consultant)
    extra = concern.people.get(position=1).young_person

    services.young_person_erase(young_person=b, by=personas.consultant, reason="Anmodning")
    services.young_person_erase(young_person=extra, by=personas.consultant, reason="Anmodning")

    assert not YoungPerson.objects.filter(pk__in=[b.pk, extra.pk]).exists()
    assert not Case.objects.filter(pk=only_b.pk).exists(), "a group of B alone goes with B"
    shared.refresh_from_db()
    assert list(shared.subjects.values_list("young_person_id", flat=True)) != []
    assert not CaseSubject.objects.filter(young_person_id=b.pk).exists()
    assert not ConcernPerson.objects.filter(young_person_id=extra.pk).exists()
    assert Concern.objects.filter(pk=concern.pk).exists(), "the concern still names someone"
    assert YoungPerson.objects.filter(pk=a.pk).exists()
    assert DeletionRecord.objects.filter(record_type="casesubject").exists()
    assert DeletionRecord.objects.filter(record_type="concernperson").exists()


def test_a_young_person_on_hold_keeps_their_group_case_from_erasure(
    personas: Personas, pair: tuple[YoungPerson, YoungPerson]
) -> None:
    a, b = pair
    case = _group_case(personas, a, b)
    YoungPerson.objects.filter(pk=b.pk).update(legal_hold=True)

    with pytest.raises(Exception, match="retligt tilbageholdt"):
        services.case_erase(case=case, by=personas.consultant, reason="Anmodning")
    assert Case.objects.filter(pk=case.pk).exists()


def test_a_change_to_a_group_case_is_logged_against_every_young_person_in_it(
    personas: Personas, pair: tuple[YoungPerson, YoungPerson]
) -> None:
    a, b = pair
    case = _group_case(personas, a, b)
    services.case_change_status(case=case, status="active", by=personas.consultant)

    event = AuditEvent.objects.filter(object_id=str(case.pk), action="update").latest("pk")
    assert sorted(event.shown_subjects) == sorted([a.pk, b.pk])
    assert event in insight.insight_events(b.pk)


def test_a_concern_about_several_cannot_be_corrected_into_one_about_a_single_young_person(
    personas: Personas, pair: tuple[YoungPerson, YoungPerson]
) -> None:
    a, b = pair
    concern = services.concern_submit(
        author=personas.club,
        municipality=_glostrup(),
        subject_kind=SubjectKind.PERSON,
        young_person=a,
        category=_category(),
        description="To drenge.",
        observed_on=timezone.localdate(),
        other_young_people=[services.ReportedIdentity(full_name=B_NAME)],
    )

    with pytest.raises(ValidationError) as refused:
        services.concern_correct(
            concern=concern, changed_by=personas.consultant, reason="Fejl", young_person=b
        )
    assert "young_person" in refused.value.message_dict
    concern.refresh_from_db()
    assert concern.young_person_id is None
