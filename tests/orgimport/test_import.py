"""Importing a municipality's organisation (`orgimport.services`): a whole municipality in one
go, a second run that changes nothing, re-import by the stable keys, every bad row listed with
nothing saved, CSV files, one import however often it is confirmed, and logins held back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from forum import services as forum_services
from forum.models import (
    Body,
    BodyKind,
    HeldLogin,
    Membership,
    MembershipChange,
    Municipality,
    Person,
    PoliceDistrict,
    Unit,
)
from forum.presets import PRESETS
from forum.setup import municipality_create_from_preset
from onboarding.models import Welcome
from orgimport import services, tasks
from orgimport.models import ImportKind, OrgImport
from orgimport.workbooks import template_workbook
from ssp.models import OutgoingEmail, User
from tests.forum.service_helpers import row_counts
from tests.orgimport.sheets import (
    PEOPLE_HEADERS,
    importer,
    new_municipality,
    organisation,
    person_row,
    upload,
    workbook,
)

pytestmark = pytest.mark.django_db

TEAM_ROW = ["SSP-team Skole 1", "Skolens SSP-team", "S01", "SSP-Forum"]


def _counts(plan: services.Plan) -> dict[str, dict[str, int]]:
    return plan.summary()


def test_300_people_and_40_teams_import_in_one_go_and_a_second_run_changes_nothing(
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    municipality, by = new_municipality(), importer()
    content = organisation(teams=40, people=300)

    preview = services.import_plan(upload=upload(municipality, by, content), by=by)
    assert preview.errors == []
    assert _counts(preview) == {
        "units": {"create": 44, "change": 0, "same": 0},
        "people": {"create": 300, "change": 0, "same": 0},
        "memberships": {"create": 300, "change": 0, "same": 0},
    }
    assert Person.objects.filter(municipality=municipality).count() == 0, "the preview saved"

    services.import_confirm(upload=upload(municipality, by, content), by=by)

    assert Unit.objects.filter(municipality=municipality).count() == 44
    assert Person.objects.filter(municipality=municipality).count() == 300
    teams = Body.objects.filter(municipality=municipality, kind=BodyKind.SCHOOL_TEAM)
    assert teams.count() == 40
    assert all(team.parent.name == "SSP-Forum" and team.unit.code for team in teams)
    assert Membership.objects.filter(body__in=teams).count() == 300
    assert Membership.objects.filter(body__in=teams, role="chair").count() == 40
    school = Unit.objects.get(municipality=municipality, code="S07")
    assert (school.parent.code, school.phone) == ("FORV", "70 70 07 00")
    assert HeldLogin.objects.filter(person__municipality=municipality).count() == 43

    second = upload(municipality, by, content)
    # The preview reads the organisation in six queries, whatever the file's size.
    with django_assert_num_queries(6):
        again = services.import_plan(upload=second, by=by)
    assert again.errors == []
    assert not again.has_work
    assert _counts(again) == {
        "units": {"create": 0, "change": 0, "same": 44},
        "people": {"create": 0, "change": 0, "same": 300},
        "memberships": {"create": 0, "change": 0, "same": 300},
    }
    before = row_counts()
    services.import_confirm(upload=upload(municipality, by, content), by=by)
    assert row_counts() == before


def test_a_spreadsheet_with_bad_rows_is_refused_with_every_error_listed_and_nothing_saved() -> None:
    municipality, by = new_municipality(), importer()
    content = workbook(
        units=[
            ["S01", "Skole 1", "Skole", "", "", "", ""],
            ["S02", "Skole 2", "Skolee", "", "", "", ""],
            ["S01", "Skole 1 igen", "Skole", "", "", "", ""],
            ["A", "Afdeling A", "Skole", "B", "", "12 34", ""],
            ["B", "Afdeling B", "Skole", "A", "", "", "ikke-en-mail"],
            ["C", "Afdeling C", "Skole", "ZZZ", "", "", ""],
        ],
        people=[
            person_row("Anna", "anna@kommune.example", "S01"),
            person_row("Anna igen", "ANNA@kommune.example", "S01"),
            person_row("Bo", "bo@kommune.example", "S99"),
            person_row("Carl", "carl@", "S01"),
            person_row("Dorte", "dorte@kommune.example", "S01", login="måske"),
            person_row("Erik", "erik@kommune.example", "", "Politi", login="ja", consultant="ja"),
            person_row("", "frida@kommune.example", "S01"),
        ],
        memberships=[
            [*TEAM_ROW, "anna@kommune.example", "Chefen"],
            [*TEAM_ROW, "ukendt@kommune.example", "Medlem"],
            ["Hemmelig gruppe", "", "", "", "anna@kommune.example", "Medlem"],
        ],
    )
    before = row_counts()

    plan = services.import_plan(upload=upload(municipality, by, content), by=by)

    expected = [
        "Ark »Enheder«, række 3: Ukendt sektor »Skolee«.",
        "Ark »Enheder«, række 4: Koden »S01« står også i række 2.",
        "Ark »Enheder«, række 5: »12 34« i kolonnen »Telefon« er ikke et telefonnummer",
        "Ark »Enheder«, række 6: »ikke-en-mail« i kolonnen »E-mail« er ikke en gyldig",
        "Ark »Enheder«, række 5: Enheden »A« kommer til at høre under sig selv: A → B → A.",
        "Ark »Enheder«, række 6: Enheden »B« kommer til at høre under sig selv: B → A → B.",
        "Ark »Enheder«, række 7: Ukendt overordnet enhed: koden »ZZZ«",
        "Ark »Personer«, række 3: Arbejdsmailen »ANNA@kommune.example« står også i række 2.",
        "Ark »Personer«, række 4: Ukendt enhedskode »S99«",
        "Ark »Personer«, række 5: »carl@« i kolonnen »Arbejdsmail« er ikke en gyldig",
        "Ark »Personer«, række 6: »måske« i kolonnen »Login« skal være ja eller nej.",
        "Ark »Personer«, række 7: Sektoren »Politi« kan ikke have SSP-konsulenter",
        "Ark »Personer«, række 8: Kolonnen »Navn« er tom.",
        "Ark »Medlemskaber«, række 2: Ukendt rolle »Chefen«.",
        "Ark »Medlemskaber«, række 3: Ukendt arbejdsmail »ukendt@kommune.example«",
        "Ark »Medlemskaber«, række 4: Kommunen har intet organ ved navn »Hemmelig gruppe«.",
    ]
    for message in expected:
        assert any(error.startswith(message) for error in plan.errors), (
            f"missing: {message}\nlisted: {plan.errors}"
        )
    assert len(plan.errors) == len(expected), plan.errors
    with pytest.raises(services.ImportRefused):
        services.import_confirm(upload=upload(municipality, by, content), by=by)
    assert row_counts() == before


def test_a_reimport_updates_the_changed_fields_and_leaves_the_rest() -> None:
    municipality, by = new_municipality(), importer()
    units = [
        ["S01", "Skole 1", "Skole", "", "", "", ""],
        ["S02", "Skole 2", "Skole", "", "", "", ""],
    ]
    people = [
        person_row("Anna Andersen", "anna@kommune.example", "S01", phone="11 11 11 11"),
        person_row("Bo Berg", "bo@kommune.example", "S01"),
    ]
    seats = [[*TEAM_ROW, "anna@kommune.example", "Medlem"], [*TEAM_ROW, "bo@kommune.example", ""]]
    services.import_confirm(upload=upload(municipality, by, workbook(units, people, seats)), by=by)

    units[1] = ["S02", "Skole 2 (Nord)", "Skole", "S01", "", "", ""]
    people[0] = person_row("Anna Holm", "Anna@Kommune.example", "S02", phone="22 22 22 22")
    seats[0] = [*TEAM_ROW, "anna@kommune.example", "Tovholder"]
    changed = upload(municipality, by, workbook(units, people, seats))
    plan = services.import_plan(upload=changed, by=by)

    unit_changes = [(c.label, c.old, c.new) for c in plan.sheet("units").changed[0].changes]
    assert unit_changes == [
        ("Navn", "Skole 2", "Skole 2 (Nord)"),
        ("Hører under (kode)", "–", "S01"),
    ]
    person = plan.sheet("people").changed[0]
    assert [(c.label, c.old, c.new) for c in person.changes] == [
        ("Navn", "Anna Andersen", "Anna Holm"),
        ("Telefon", "11 11 11 11", "22 22 22 22"),
        ("Enhed", "Skole 1", "Skole 2 (Nord)"),
    ]
    seat = plan.sheet("memberships").changed[0]
    assert [(c.old, c.new) for c in seat.changes] == [("Medlem", "Tovholder")]
    assert [len(plan.sheet(k).same) for k in ("units", "people", "memberships")] == [1, 1, 1]

    services.import_confirm(upload=changed, by=by)

    anna = Person.objects.get(municipality=municipality, email="anna@kommune.example")
    assert (anna.full_name, anna.phone, anna.unit.code) == ("Anna Holm", "22 22 22 22", "S02")
    assert Unit.objects.get(municipality=municipality, code="S02").parent.code == "S01"
    assert Membership.objects.get(person=anna).role == "coordinator"
    assert Person.objects.filter(municipality=municipality).count() == 2


def test_a_csv_file_of_people_is_known_by_its_headers_even_from_danish_excel() -> None:
    municipality, by = new_municipality(), importer()
    lines = [
        ";".join(PEOPLE_HEADERS),
        "Søren Ørsted;soren@kommune.example;Lærer;Skole;;;;nej;nej;nej",
    ]
    content = "\r\n".join(lines).encode("cp1252")

    plan = services.import_plan(upload=upload(municipality, by, content), by=by)
    assert plan.errors == []
    assert [item.label for item in plan.sheet("people").created] == [
        "Søren Ørsted <soren@kommune.example>"
    ]

    services.import_confirm(upload=upload(municipality, by, content, ImportKind.PEOPLE), by=by)
    assert Person.objects.get(municipality=municipality).full_name == "Søren Ørsted"


def test_a_csv_file_of_another_kind_than_chosen_is_refused_naming_the_missing_columns() -> None:
    municipality, by = new_municipality(), importer()
    content = b"Kode,Navn,Sektor\r\nS01,Skole 1,Skole\r\n"

    with pytest.raises(ValidationError) as refused:
        upload(municipality, by, content, ImportKind.PEOPLE)

    assert refused.value.message_dict["file"] == [
        "CSV-filen mangler kolonnerne »Arbejdsmail«, som Personer skal have."
    ]
    assert not OrgImport.objects.exists()


def test_confirming_twice_imports_once() -> None:
    municipality, by = new_municipality(), importer()
    saved = upload(municipality, by, workbook(people=[person_row("Anna", "anna@kommune.example")]))

    services.import_confirm(upload=saved, by=by)
    with pytest.raises(services.AlreadyConfirmed):
        services.import_confirm(upload=saved, by=by)

    assert Person.objects.filter(municipality=municipality).count() == 1
    saved.refresh_from_db()
    assert bytes(saved.content) == b"", "the confirmed file is not kept"


def test_login_yes_holds_the_login_creating_no_account_and_sending_nothing() -> None:
    municipality, by = new_municipality(), importer()
    content = workbook(
        people=[
            person_row(
                "Karen",
                "karen@kommune.example",
                sector="SSP-sekretariat",
                login="ja",
                consultant="ja",
            ),
            person_row("Anna", "anna@kommune.example", login="Ja", administrator="x"),
        ],
        memberships=[[*TEAM_ROW[:2], "", "SSP-Forum", "anna@kommune.example", ""]][:0],
    )
    mails = OutgoingEmail.objects.count()

    services.import_confirm(upload=upload(municipality, by, content), by=by)

    held = {
        h.person.email: (h.is_ssp_consultant, h.is_administrator, h.created_by)
        for h in HeldLogin.objects.filter(person__municipality=municipality)
    }
    assert held == {
        "karen@kommune.example": (True, False, by),
        "anna@kommune.example": (False, True, by),
    }
    assert not User.objects.filter(
        email__in=["karen@kommune.example", "anna@kommune.example"]
    ).exists()
    assert OutgoingEmail.objects.count() == mails


def test_someone_who_has_a_login_keeps_it_and_their_roles() -> None:
    municipality, by = new_municipality(), importer()
    person = forum_services.person_create(
        municipality=municipality,
        full_name="Lone Login",
        sector="school",
        email="lone@kommune.example",
        with_login=True,
    )
    content = workbook(
        people=[
            person_row(
                "Lone Login", "lone@kommune.example", login="ja", administrator="ja", title=""
            )
        ]
    )

    plan = services.import_plan(upload=upload(municipality, by, content), by=by)

    item = plan.sheet("people").same[0]
    assert item.notes == ["Har allerede login: login og roller bliver, som de er."]
    services.import_confirm(upload=upload(municipality, by, content), by=by)
    assert not HeldLogin.objects.filter(person=person).exists()


def test_seats_are_made_by_the_importer_without_welcome_packages_for_a_whole_organisation() -> None:
    municipality, by = new_municipality(), importer()
    content = workbook(
        units=[["S01", "Skole 1", "Skole", "", "", "", ""]],
        people=[person_row("Anna", "anna@kommune.example", "S01")],
        memberships=[[*TEAM_ROW, "anna@kommune.example", "Formand"]],
    )

    services.import_confirm(upload=upload(municipality, by, content), by=by)

    change = MembershipChange.objects.get(person__email="anna@kommune.example")
    assert (change.new_role, change.by) == ("chair", by)
    assert not Welcome.objects.filter(person__email="anna@kommune.example").exists()


def test_an_importer_cannot_seat_themselves_in_a_team_that_reads_cases() -> None:
    municipality, by = new_municipality(), importer()
    forum_services.affiliation_set(
        user=by, municipality=municipality, is_administrator=True, by=None
    )
    me = Person.objects.create(
        municipality=municipality,
        full_name="Ivan",
        sector="school",
        email="importer@test.ssp",
        user=by,
    )
    services.import_confirm(
        upload=upload(
            municipality,
            by,
            workbook(
                units=[["S01", "Skole 1", "Skole", "", "", "", ""]],
                people=[person_row("Anna", "anna@kommune.example", "S01")],
                memberships=[[*TEAM_ROW, "anna@kommune.example", ""]],
            ),
        ),
        by=by,
    )
    content = workbook(memberships=[["SSP-team Skole 1", "", "", "", "importer@test.ssp", ""]])

    plan = services.import_plan(upload=upload(municipality, by, content), by=by)

    assert plan.errors == [
        "Ark »Medlemskaber«, række 2: Du kan ikke give dig selv en plads i SSP-team Skole 1: "
        "organets medlemmer læser sager om børn og unge. Bed en anden administrator om at "
        "tilføje dig."
    ]
    assert not Membership.objects.filter(person=me).exists()


def test_a_unit_typed_in_before_the_import_takes_its_code_instead_of_being_duplicated() -> None:
    municipality, by = new_municipality(), importer()
    typed = forum_services.unit_create(municipality=municipality, name="Skole 1", sector="school")

    services.import_confirm(
        upload=upload(
            municipality, by, workbook(units=[["S01", "skole 1", "Skole", "", "", "", ""]])
        ),
        by=by,
    )

    typed.refresh_from_db()
    assert (typed.code, typed.name) == ("S01", "skole 1")
    assert Unit.objects.filter(municipality=municipality).count() == 1


def test_uploads_older_than_a_day_are_purged_by_the_hourly_task() -> None:
    municipality, by = new_municipality(), importer()
    old = upload(municipality, by, workbook(people=[person_row("Anna", "anna@kommune.example")]))
    fresh = upload(municipality, by, workbook(people=[person_row("Bo", "bo@kommune.example")]))
    OrgImport.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=1, minutes=1)
    )

    assert tasks.purge_uploads() == 1

    assert list(OrgImport.objects.values_list("pk", flat=True)) == [fresh.pk]


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_each_presets_template_is_read_as_the_import_reads_it(preset: str) -> None:
    district = PoliceDistrict.objects.order_by("pk").first()
    municipality = municipality_create_from_preset(
        preset=preset, name=f"Skabelon {preset}", code="996", police_district=district
    )
    by = importer()

    plan = services.import_plan(
        upload=upload(municipality, by, template_workbook(PRESETS[preset])), by=by
    )

    assert plan.errors == []
    assert plan.skipped == ["Vejledning", "Organer"]
    assert plan.summary() == {
        "units": {"create": 1, "change": 0, "same": 0},
        "people": {"create": 1, "change": 0, "same": 0},
        "memberships": {"create": 1, "change": 0, "same": 0},
    }


def test_a_cases_ad_hoc_group_is_out_of_the_imports_reach(personas) -> None:  # type: ignore[no-untyped-def]
    """Its members are chosen on the case, each with a basis: a row naming the group is
    refused (never a seat, never a new body of the same name)."""
    glostrup = Municipality.objects.get(code="161")
    group = Body.objects.get(municipality=glostrup, kind=BodyKind.AD_HOC, name__endswith="sag 4")
    members = set(group.memberships.values_list("person_id", flat=True))
    content = workbook(memberships=[[group.name, "", "", "", "social@demo.ssp", ""]])

    plan = services.import_plan(upload=upload(glostrup, personas.admin, content), by=personas.admin)

    assert plan.errors == [
        f"Ark »Medlemskaber«, række 2: »{group.name}« er en ad hoc-gruppe om en sag: dens "
        "medlemmer vælges på sagen, hver med et grundlag, og kan ikke importeres."
    ]
    assert set(group.memberships.values_list("person_id", flat=True)) == members
    assert Body.objects.filter(municipality=glostrup, name__iexact=group.name).count() == 1
