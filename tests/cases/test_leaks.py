"""What stays hidden: no list, search, count, lookup, concern page, sub-URL or email shows a
young person to someone who may not see their case.

Names are asserted both ways: the ones a persona may see must be there (so the test would
notice an empty page), every other demo young person must be absent.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cases import services
from cases.models import Case, Concern, ConcernCategory, YoungPerson
from forum import services as forum_services
from forum.models import Body, Membership, Municipality
from ssp.models import User
from tests.cases.clock import time_passes
from tests.personas import Personas

pytestmark = pytest.mark.django_db

MIKKEL = "Demo-Mikkel Eksempelsen"
SOFIE = "Demo-Sofie Opdigtetsen"
JONAS = "Demo-Jonas Fiktivsen"
AMALIE = "Demo-Amalie Tænktsen"
OLIVER = "Demo-Oliver Påfundsen"
EMMA = "Demo-Emma Eksempeldatter"
NOAH = "Demo-Noah Nulsen"
FREJA = "Demo-Freja Fantasisen"  # a new concern, no case
IDA = "Demo-Ida-Marie Dublettesen"  # SSP-team Vestervang, no basis; registered twice:
IDA_AGAIN = "Demo-Ida Marie Dublettesen"  # a new concern by the club worker, no school
EVERYONE = {MIKKEL, SOFIE, JONAS, AMALIE, OLIVER, EMMA, NOAH, FREJA, IDA, IDA_AGAIN}

# The young people whose cases each persona sees (checked against the seeded grants).
VISIBLE_CASES = {
    "consultant": {MIKKEL, SOFIE, JONAS, AMALIE, OLIVER, EMMA, IDA},
    "leader": {MIKKEL, EMMA, IDA},
    "police": {MIKKEL, EMMA, JONAS, AMALIE},
    "police2": {SOFIE, OLIVER, NOAH},
    "social": {MIKKEL, EMMA, JONAS, AMALIE, SOFIE, IDA},
    "club": {MIKKEL, EMMA, IDA},
    "admin": set(),
    "neighbour": set(),
    "outsider": set(),
}
# The demo's case about a group ("Ældre drenge ved stationen", SSP-team Vestervang): listed by
# its description for the team's handling-sector members and the consultant, never by names.
GROUP_CASE = "Ældre drenge ved stationen"
SEES_GROUP_CASE = {"consultant", "leader", "social", "club"}
HTMX = {"HX-Request": "true"}


def _page(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, f"expected 200, got {response.status_code}"
    return response.content.decode()


def _assert_exactly(page: str, visible: set[str], where: str) -> None:
    for name in sorted(visible):
        assert name in page, f"{name} is missing from {where}"
    for name in sorted(EVERYONE - visible):
        assert name not in page, f"LEAK: {name} shown in {where}"


def _case(name: str) -> Case:
    return Case.objects.get(young_person__full_name=name)


def _glostrup() -> Municipality:
    return Municipality.objects.get(code="161")


def _albertslund() -> Municipality:
    return Municipality.objects.get(code="165")


# The case list and its search


@pytest.mark.parametrize("persona", sorted(VISIBLE_CASES))
def test_the_case_list_shows_exactly_the_cases_the_persona_may_see(
    persona: str, personas: Personas, client: Client
) -> None:
    client.force_login(personas[persona])
    expected = VISIBLE_CASES[persona]

    page = _page(client.get("/sager/"))

    _assert_exactly(page, expected, f"{persona}'s case list")
    group = persona in SEES_GROUP_CASE
    assert (GROUP_CASE in page) == group, f"{persona}'s case list and the group case"
    count = len(expected) + group
    assert f"{count} sag{'' if count == 1 else 'er'}" in page


def test_police_have_no_municipality_wide_list_through_the_filters(
    personas: Personas, client: Client
) -> None:
    client.force_login(personas.police2)
    vestervang = Body.objects.get(name="SSP-team Vestervang")
    searches = [
        {"q": "Demo"},
        {"status": "closed"},
        {"status": "active"},
        {"body": vestervang.pk},
        {"mine": "on"},
        {"q": "Demo", "status": "", "body": "", "page": "2"},
    ]

    for params in searches:
        page = _page(client.get("/sager/", params, headers=HTMX))
        leaked = {name for name in EVERYONE - VISIBLE_CASES["police2"] if name in page}
        assert leaked == set(), f"LEAK: /sager/?{params} showed {leaked} to police2"
    assert SOFIE in _page(client.get("/sager/", {"q": "Demo"}, headers=HTMX))
    assert "0 sager" in _page(client.get("/sager/", {"body": vestervang.pk}, headers=HTMX))


@pytest.mark.parametrize(
    ("persona", "query", "found"),
    [
        ("police2", "Mikkel", set()),
        ("police2", "Eksemp", set()),
        ("police2", "Oliver", {OLIVER}),
        ("police", "Eksemp", {MIKKEL, EMMA}),
        ("police", "Oliver", set()),
        ("leader", "Amalie", set()),
        ("admin", "Demo", set()),
        ("neighbour", "Noah", set()),
        ("outsider", "Demo", set()),
    ],
)
def test_searching_by_name_finds_only_visible_cases(
    persona: str, query: str, found: set[str], personas: Personas, client: Client
) -> None:
    client.force_login(personas[persona])

    page = _page(client.get("/sager/", {"q": query}, headers=HTMX))

    _assert_exactly(page, found, f"{persona}'s search for {query!r}")


def test_searching_by_birth_date_case_number_or_concern_text_finds_nothing_hidden(
    personas: Personas, client: Client
) -> None:
    mikkel = _case(MIKKEL)
    jonas = _case(JONAS)
    client.force_login(personas.police2)

    by_birth_date = _page(
        client.get(
            "/sager/", {"q": mikkel.young_person.birth_date.strftime("%d-%m-%Y")}, headers=HTMX
        )
    )
    by_number = _page(client.get("/sager/", {"q": str(mikkel.pk)}, headers=HTMX))
    by_text = _page(client.get("/sager/", {"q": "hash"}, headers=HTMX))

    assert MIKKEL not in by_birth_date, "LEAK: police2 found Mikkel by birth date"
    assert f"/sager/{mikkel.pk}/" not in by_number, "LEAK: police2 found Mikkel's case number"
    assert JONAS not in by_text, "LEAK: police2 found Jonas by his concern's text"
    assert f"/sager/{jonas.pk}/" not in by_text
    client.force_login(personas.police)
    assert JONAS in _page(client.get("/sager/", {"q": "hash"}, headers=HTMX)), (
        "the text search should find Jonas for police, who is in Mandagsgruppen"
    )


def test_a_superuser_sees_no_cases(client: Client) -> None:
    root = User.objects.create_superuser("rod@test.ssp", password="demo", full_name="Rod Root")
    client.force_login(root)

    page = _page(client.get("/sager/"))

    _assert_exactly(page, set(), "a superuser's case list")
    assert client.get(f"/sager/{_case(MIKKEL).pk}/").status_code == 404


# The young person lookup of the concern form


@pytest.mark.parametrize(
    ("persona", "municipality", "found"),
    [
        ("police2", "161", {SOFIE, OLIVER}),
        ("police2", "165", {NOAH}),
        ("police", "161", {MIKKEL, EMMA, JONAS, AMALIE}),
        ("police", "165", set()),
        # The author of a concern finds its young person, not the case's other readers' ones.
        ("leader", "161", {MIKKEL, EMMA, SOFIE, AMALIE, FREJA, IDA}),
        ("club", "161", {MIKKEL, EMMA, OLIVER, FREJA, IDA, IDA_AGAIN}),
        (
            "consultant",
            "161",
            {MIKKEL, SOFIE, JONAS, AMALIE, OLIVER, EMMA, FREJA, IDA, IDA_AGAIN},
        ),
        ("admin", "161", set()),
        ("admin", "165", set()),
        ("neighbour", "165", set()),
        ("outsider", "161", set()),
    ],
)
def test_the_young_person_lookup_finds_only_people_the_user_knows_of(
    persona: str, municipality: str, found: set[str], personas: Personas, client: Client
) -> None:
    client.force_login(personas[persona])
    pk = Municipality.objects.get(code=municipality).pk

    # One lookup per name: the lookup lists at most ten people, and the demo has more.
    for name in sorted(EVERYONE):
        page = _page(
            client.post(
                "/bekymringer/find-ung/", {"lookup": name, "municipality": pk}, headers=HTMX
            )
        )
        listed = any(f">{name}{end}" in page for end in (" (", ",", "<"))
        where = f"{persona}'s lookup for {name!r} in municipality {municipality}"
        if name in found:
            assert listed, f"{name} is missing from {where}"
        else:
            assert not listed, f"LEAK: {name} shown in {where}"


def test_the_lookup_by_birth_date_finds_no_hidden_young_person(
    personas: Personas, client: Client
) -> None:
    mikkel = YoungPerson.objects.get(full_name=MIKKEL)
    client.force_login(personas.police2)

    page = _page(
        client.post(
            "/bekymringer/find-ung/",
            {"lookup": mikkel.birth_date.strftime("%d%m%y"), "municipality": _glostrup().pk},
            headers=HTMX,
        )
    )

    assert MIKKEL not in page, "LEAK: the lookup found Mikkel for police2 by birth date"
    assert "Ingen unge fundet" in page


def test_the_lookup_cannot_reach_a_municipality_the_user_does_not_work_in(
    personas: Personas, client: Client
) -> None:
    client.force_login(personas.neighbour)

    page = _page(
        client.post("/bekymringer/find-ung/", {"lookup": "Demo", "municipality": _glostrup().pk})
    )

    _assert_exactly(page, set(), "an Albertslund user's lookup aimed at Glostrup")


# The dashboard


@pytest.mark.parametrize(
    ("persona", "counts"),
    [
        ("consultant", ("1 åben sag", "5 aktive sager", "1 sag i opfølgning")),
        ("police", ("0 åbne sager", "3 aktive sager", "0 sager i opfølgning")),
        ("police2", ("0 åbne sager", "2 aktive sager", "1 sag i opfølgning")),
        ("leader", ("1 åben sag", "2 aktive sager", "0 sager i opfølgning")),
        ("admin", ("0 åbne sager", "0 aktive sager", "0 sager i opfølgning")),
        ("neighbour", ("0 åbne sager", "0 aktive sager", "0 sager i opfølgning")),
    ],
)
def test_dashboard_counts_only_visible_cases(
    persona: str, counts: tuple[str, ...], personas: Personas, client: Client
) -> None:
    client.force_login(personas[persona])

    page = _page(client.get("/"))

    for text in counts:
        assert text in page, f"{persona}'s dashboard should say {text!r}"


def test_dashboard_follow_ups_show_only_visible_cases(personas: Personas, client: Client) -> None:
    soon = timezone.localdate() + timedelta(days=3)
    for name in (MIKKEL, OLIVER, AMALIE):
        case = _case(name)
        services.case_update_details(
            case=case,
            by=personas.consultant,
            level=case.level,
            prevention_kind=case.prevention_kind,
            responsible_body=case.responsible_body,
            coordinator=case.coordinator,  # Amalie's ad-hoc group keeps its coordinator
            follow_up_on=soon,
        )
    client.force_login(personas.police2)

    page = _page(client.get("/"))

    _assert_exactly(page, {OLIVER}, "police2's dashboard")


def test_the_administrator_sees_no_young_person_anywhere(
    personas: Personas, client: Client
) -> None:
    client.force_login(personas.admin)

    for url in ("/", "/sager/", "/bekymringer/mine/", "/adgangslog/"):
        _assert_exactly(_page(client.get(url)), set(), f"the administrator's {url}")
    for case in Case.objects.all():
        assert client.get(f"/sager/{case.pk}/").status_code == 404, (
            f"LEAK: the administrator opened {case}"
        )
    for concern in Concern.objects.all():
        assert client.get(f"/bekymringer/{concern.pk}/").status_code == 404, (
            f"LEAK: the administrator opened {concern}"
        )


# Concern lists: the triage queue and "my concerns"


def test_the_triage_queue_shows_only_new_concerns_of_the_consultants_municipality(
    personas: Personas, client: Client
) -> None:
    albertslund = _albertslund()
    services.concern_submit(
        author=personas.neighbour,
        municipality=albertslund,
        subject_kind="place",
        subject_description="Bænken ved Albertslund Centrum",
        category=ConcernCategory.objects.get(municipality=albertslund, name="Kriminalitet"),
        description="Unge sælger noget fra en knallert.",
        observed_on=timezone.localdate(),
    )
    client.force_login(personas.consultant)

    page = _page(client.get("/bekymringer/visitation/"))

    _assert_exactly(page, {FREJA, IDA_AGAIN}, "the consultant's triage queue")
    assert "Stationsforpladsen" in page
    assert "Bænken ved Albertslund Centrum" not in page, (
        "LEAK: an Albertslund concern in Glostrup's triage queue"
    )


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        # Own concerns only; the team list shows new concerns to the school team's chair.
        ("police2", {NOAH}),
        ("police", set()),
        ("leader", {SOFIE, AMALIE, EMMA, FREJA, IDA}),
        ("club", {MIKKEL, OLIVER, FREJA, IDA_AGAIN}),
        ("social", {JONAS}),
        ("admin", set()),
        ("neighbour", set()),
        ("outsider", set()),
    ],
)
def test_my_concerns_lists_own_concerns_and_the_teams_new_ones_only(
    persona: str, visible: set[str], personas: Personas, client: Client
) -> None:
    client.force_login(personas[persona])

    page = _page(client.get("/bekymringer/mine/"))

    _assert_exactly(page, visible, f"{persona}'s concerns page")


def test_a_routed_concern_reaches_the_bodys_members_and_nobody_else(
    personas: Personas, client: Client
) -> None:
    freja = Concern.objects.get(young_person__full_name=FREJA)
    services.concern_route(
        concern=freja, body=Body.objects.get(name="Mandagsgruppen (§115)"), by=personas.consultant
    )

    client.force_login(personas.social)  # member of Mandagsgruppen, a handling sector
    assert FREJA in _page(client.get("/bekymringer/mine/"))
    assert client.get(f"/bekymringer/{freja.pk}/").status_code == 200
    client.force_login(personas.police)  # member of Mandagsgruppen, routed without a basis
    assert FREJA not in _page(client.get("/bekymringer/mine/")), (
        "LEAK: a concern routed without a §115 basis shown to the police in the body"
    )
    assert client.get(f"/bekymringer/{freja.pk}/").status_code == 404
    client.force_login(personas.police2)  # not a member
    assert FREJA not in _page(client.get("/bekymringer/mine/")), (
        "LEAK: a concern routed to Mandagsgruppen shown to police2"
    )
    assert client.get(f"/bekymringer/{freja.pk}/").status_code == 404


# The access log


def test_the_access_log_and_its_export_carry_no_names(personas: Personas, client: Client) -> None:
    client.force_login(personas.police)
    _page(client.get(f"/sager/{_case(AMALIE).pk}/"))
    _page(client.get("/sager/", {"q": "Amalie"}))
    client.force_login(personas.admin)
    amalie = YoungPerson.objects.get(full_name=AMALIE)

    search = _page(client.get("/adgangslog/", {"subject": amalie.pk}))
    export = client.get("/adgangslog/eksport.csv", {"subject": amalie.pk})
    csv_text = b"".join(export.streaming_content).decode()

    assert "politi@demo.ssp" in search, "the police officer's read is missing from the log"
    assert f"cases.case;{_case(AMALIE).pk};{amalie.pk}" in csv_text
    for name in EVERYONE:
        assert name not in search, f"LEAK: {name} in the access log page"
        assert name not in csv_text, f"LEAK: {name} in the access log export"
    assert "Amalie" not in csv_text, "LEAK: a search term reached the exported log"


def test_the_access_log_shows_only_the_administered_municipalities(
    personas: Personas, client: Client
) -> None:
    client.force_login(personas.police2)
    _page(client.get(f"/sager/{_case(NOAH).pk}/"))
    _page(client.get(f"/sager/{_case(OLIVER).pk}/"))
    client.force_login(personas.admin)
    both = b"".join(
        client.get("/adgangslog/eksport.csv", {"user": "politi2@demo.ssp"}).streaming_content
    ).decode()
    assert f"cases.case;{_case(NOAH).pk};" in both, "an Albertslund administrator sees its log"
    forum_services.affiliation_remove(user=personas.admin, municipality=_albertslund())
    client.force_login(personas.admin)

    csv_text = b"".join(
        client.get("/adgangslog/eksport.csv", {"user": "politi2@demo.ssp"}).streaming_content
    ).decode()

    assert f"cases.case;{_case(OLIVER).pk};" in csv_text
    assert f"cases.case;{_case(NOAH).pk};" not in csv_text, (
        "LEAK: a Glostrup administrator exported Albertslund's log"
    )


# Concern pages and sub-URLs of cases the user cannot see


def test_the_concerns_author_does_not_reach_the_case_through_the_concern(
    personas: Personas, client: Client
) -> None:
    amalie = _case(AMALIE)
    services.note_add(case=amalie, author=personas.consultant, text="Hemmeligt notat om chatten.")
    concern = amalie.concerns.get()
    client.force_login(personas.leader)  # wrote the concern, not in Søndervang or the group

    page = _page(client.get(f"/bekymringer/{concern.pk}/"))

    assert AMALIE in page, "the author should still see her own concern"
    assert f"/sager/{amalie.pk}/" not in page, "LEAK: the concern page links to a hidden case"
    assert "Hemmeligt notat" not in page, "LEAK: the concern page shows the case's notes"
    assert "Ad hoc-gruppe" not in page
    assert client.get(f"/sager/{amalie.pk}/").status_code == 404


def test_the_school_team_chair_loses_a_concern_once_it_joins_a_case_of_another_body(
    personas: Personas, client: Client
) -> None:
    """The chair of the pupil's school team hears of a new concern; once the consultant opens
    a case for Mandagsgruppen, the concern's text is that case's content."""
    freja = Concern.objects.get(young_person__full_name=FREJA)
    client.force_login(personas.leader)  # chair of SSP-team Vestervang
    assert client.get(f"/bekymringer/{freja.pk}/").status_code == 200

    case = services.concern_open_case(
        concern=freja,
        by=personas.consultant,
        responsible_body=Body.objects.get(name="Mandagsgruppen (§115)"),
        level="individual",
        prevention_kind="reactive",
    )

    assert client.get(f"/bekymringer/{freja.pk}/").status_code == 404, (
        "LEAK: the school team's chair reads a concern of a case handled by Mandagsgruppen"
    )
    assert client.get(f"/sager/{case.pk}/").status_code == 404
    assert FREJA not in _page(client.get("/bekymringer/mine/"))
    assert FREJA not in _page(
        client.post("/bekymringer/find-ung/", {"lookup": "Freja", "municipality": _glostrup().pk})
    ), "LEAK: the lookup still offers Freja to the school team's chair"
    client.force_login(personas.club)  # the author keeps her own concern
    assert client.get(f"/bekymringer/{freja.pk}/").status_code == 200


def test_a_reader_of_the_case_gets_the_link_from_the_concern(
    personas: Personas, client: Client
) -> None:
    amalie = _case(AMALIE)
    client.force_login(personas.police)

    page = _page(client.get(f"/bekymringer/{amalie.concerns.get().pk}/"))

    assert f"/sager/{amalie.pk}/" in page


def test_guessed_sub_urls_of_a_hidden_case_answer_404_and_change_nothing(
    personas: Personas, client: Client
) -> None:
    amalie = _case(AMALIE)
    action = services.action_add(case=amalie, by=personas.consultant, title="Møde med skolen")
    share = services.case_share(
        case=amalie,
        by=personas.consultant,
        purpose="Klubben skal kende til sagen.",
        criteria=dict.fromkeys(services.SHARE_CRITERIA, True),
        user=personas.club,
    )
    membership = Membership.objects.get(body_id=amalie.adhoc_group_id, person__user=personas.social)
    base = f"/sager/{amalie.pk}"
    client.force_login(personas.police2)

    for url in (
        f"{base}/indsats/{action.pk}/udfoert/",
        f"{base}/del/{share.pk}/tilbagekald/",
        f"{base}/gruppe/{membership.pk}/fjern/",
        f"{base}/gruppe/luk/",
        f"{base}/notat/",
        f"{base}/samtykke/",
        f"{base}/status/",
    ):
        response = client.post(url, {"text": "x", "status": "closed", "reason": "x"})
        assert response.status_code == 404, f"{url} answered {response.status_code} to police2"
    for url in (f"{base}/indsats/", f"{base}/del/", f"{base}/gruppe/", f"{base}/rediger/"):
        assert client.get(url).status_code == 404, f"{url} is not hidden from police2"

    action.refresh_from_db()
    share.refresh_from_db()
    assert action.done_on is None
    assert share.ended_at is None
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert _case(AMALIE).status == "active"


def test_ids_of_another_case_cannot_be_reached_through_a_case_the_user_manages(
    personas: Personas, client: Client
) -> None:
    """The leader coordinates Mikkel's case; Amalie's objects stay out of reach via its URLs."""
    mikkel = _case(MIKKEL)
    services.case_update_details(
        case=mikkel,
        by=personas.consultant,
        level=mikkel.level,
        prevention_kind=mikkel.prevention_kind,
        responsible_body=mikkel.responsible_body,
        coordinator=personas.leader,
        follow_up_on=None,
    )
    amalie = _case(AMALIE)
    action = services.action_add(case=amalie, by=personas.consultant, title="Møde med skolen")
    share = services.case_share(
        case=amalie,
        by=personas.consultant,
        purpose="Klubben skal kende til sagen.",
        criteria=dict.fromkeys(services.SHARE_CRITERIA, True),
        user=personas.club,
    )
    membership = Membership.objects.get(body_id=amalie.adhoc_group_id, person__user=personas.social)
    client.force_login(personas.leader)

    assert client.get(f"/sager/{mikkel.pk}/rediger/").status_code == 200, "the coordinator manages"
    for url in (
        f"/sager/{mikkel.pk}/indsats/{action.pk}/udfoert/",
        f"/sager/{mikkel.pk}/del/{share.pk}/tilbagekald/",
        f"/sager/{mikkel.pk}/gruppe/{membership.pk}/fjern/",
    ):
        assert client.post(url).status_code == 404, f"LEAK: {url} reached another case's object"

    action.refresh_from_db()
    share.refresh_from_db()
    assert action.done_on is None
    assert share.ended_at is None
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_revoked_share_ends_the_recipients_view_everywhere(
    personas: Personas, client: Client
) -> None:
    oliver = _case(OLIVER)
    services.share_revoke(share=oliver.bases.get(), by=personas.consultant)
    client.force_login(personas.police2)

    _assert_exactly(_page(client.get("/sager/")), {SOFIE, NOAH}, "police2's list after revoking")
    assert client.get(f"/sager/{oliver.pk}/").status_code == 404
    assert OLIVER not in _page(
        client.post("/bekymringer/find-ung/", {"lookup": "Oliver", "municipality": _glostrup().pk})
    )
    assert "1 aktiv sag" in _page(client.get("/"))


def test_a_note_restricted_to_a_sector_is_hidden_from_the_other_sectors(
    personas: Personas, client: Client
) -> None:
    amalie = _case(AMALIE)
    services.note_add(
        case=amalie,
        author=personas.police,
        text="Politiets egne oplysninger.",
        restricted_to_sector=True,
    )

    client.force_login(personas.police)
    assert "Politiets egne oplysninger." in _page(client.get(f"/sager/{amalie.pk}/"))
    for persona in ("social", "consultant"):
        client.force_login(personas[persona])
        assert "Politiets egne oplysninger." not in _page(client.get(f"/sager/{amalie.pk}/")), (
            f"LEAK: a police-only note shown to {persona}"
        )


def test_an_expired_share_ends_the_recipients_view_everywhere_before_any_job_runs(
    personas: Personas, client: Client
) -> None:
    amalie = _case(AMALIE)
    services.case_share(
        case=amalie,
        by=personas.consultant,
        purpose="Politiet skal kende til chatten i en uge.",
        criteria=dict.fromkeys(services.SHARE_CRITERIA, True),
        user=personas.police2,
        expires_at=timezone.now() + timedelta(hours=1),
    )
    client.force_login(personas.police2)
    assert client.get(f"/sager/{amalie.pk}/").status_code == 200
    assert AMALIE in _page(client.get("/sager/"))

    time_passes(timedelta(hours=2))

    assert client.get(f"/sager/{amalie.pk}/").status_code == 404
    _assert_exactly(_page(client.get("/sager/")), VISIBLE_CASES["police2"], "police2's list")
    assert AMALIE not in _page(
        client.post("/bekymringer/find-ung/", {"lookup": "Amalie", "municipality": _glostrup().pk})
    )
