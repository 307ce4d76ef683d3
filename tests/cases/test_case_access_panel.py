"""How a reader is told why they see a case, and who may see the whole list of readers.

Every reader outside the handling sectors (police, "other") sees at the top of the case page
the basis they read it through (ground, origin, who gave it and when, purpose and until when)
and the Retsplejeloven §115, stk. 2 notice; a handling-sector reader gets one line naming the
rule that covers them. The page "who can see this case, and why" lists every current reader
with the rule or basis covering them and the history of bases given and ended: for the
consultant and the coordinator only.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone

from cases import services
from cases.models import Basis, BasisOrigin, Case
from ssp.models import Sector
from tests.factories import AffiliationFactory
from tests.personas import Personas

pytestmark = pytest.mark.django_db

MIKKEL = "Demo-Mikkel Eksempelsen"
AMALIE = "Demo-Amalie Tænktsen"
OLIVER = "Demo-Oliver Påfundsen"
CRITERIA = dict.fromkeys(services.SHARE_CRITERIA, True)
STK_2 = "Retsplejelovens § 115, stk. 2:"
NOT_FOR_INVESTIGATION = "du må ikke bruge dem til at efterforske en straffesag"
READERS_HEADING = "Hvem kan se sagen, og hvorfor"
MANY_READERS = 25


def _case(name: str) -> Case:
    return Case.objects.get(young_person__full_name=name)


def _page(client: Client, user, case: Case, suffix: str = "") -> str:  # type: ignore[no-untyped-def]
    client.force_login(user)
    response = client.get(f"/sager/{case.pk}/{suffix}")
    assert response.status_code == 200
    return response.content.decode()


def _notice(html: str) -> str:
    found = re.search(r'<div class="alert [^"]*case-access-notice".*?</div>\s*</div>', html, re.S)
    assert found, "no access notice on the page"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(0)))


def _rows(html: str, table_class: str) -> dict[str, str]:
    """The rows of a table on the page, keyed by their header cell, as plain text."""
    table = re.search(rf'<table class="[^"]*{table_class}">(.*?)</table>', html, re.S)
    assert table, f"no table {table_class}"
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S):
        head = re.search(r'<th scope="row">(.*?)</th>', row, re.S)
        if head:
            text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
            rows[head.group(1).strip()] = text
    return rows


def _date(value) -> str:  # type: ignore[no-untyped-def]
    return formats.date_format(timezone.localtime(value), "j. F Y")


def test_the_police_officer_is_told_the_basis_its_purpose_expiry_and_the_stk_2_notice(
    client: Client, personas: Personas
) -> None:
    oliver = _case(OLIVER)
    expires = timezone.now() + timedelta(days=30)
    services.basis_give(
        by=personas.consultant,
        origin=BasisOrigin.SHARE,
        purpose="Politiet skal kende truslen med kniven før samtalen.",
        case=oliver,
        user=personas.police,
        criteria=CRITERIA,
        expires_at=expires,
    )

    html = _page(client, personas.police, oliver)
    notice = _notice(html)

    assert "Derfor kan du se sagen" in notice
    assert "Retsplejelovens § 115 (de tre kriterier er bekræftet)" in notice
    assert "Deling" in notice
    assert f"{personas.consultant.full_name}, {_date(timezone.now())}" in notice
    assert "Politiet skal kende truslen med kniven før samtalen." in notice
    assert f"til {_date(expires)}" in notice
    assert STK_2 in notice
    assert NOT_FOR_INVESTIGATION in notice
    # The officer's notice names their own basis, not police2's share of the same case.
    assert notice.count("Formål") == 1


def test_a_police_member_of_a_team_is_told_the_teams_basis_lasts_until_revoked(
    client: Client, personas: Personas
) -> None:
    notice = _notice(_page(client, personas.police, _case(MIKKEL)))

    assert "Politiet i teamet kender de ældre drenge og kan bidrage til indsatsen." in notice
    assert "Sagen oprettet under organet (til SSP-team Vestervang)" in notice
    assert "indtil den tilbagekaldes" in notice
    assert STK_2 in notice


def test_a_handling_sector_reader_is_told_the_rule_and_gets_no_police_notice(
    client: Client, personas: Personas
) -> None:
    social = _page(client, personas.social, _case(AMALIE))
    consultant = _page(client, personas.consultant, _case(AMALIE))

    assert (
        "Du kan se sagen, fordi du er medlem af sagens ansvarlige organ eller ad hoc-gruppe."
        in social
    )
    assert "Du kan se sagen, fordi du er SSP-konsulent i sagens kommune" in consultant
    assert STK_2 not in social
    assert "case-access-notice" not in consultant


def test_the_consultant_sees_every_reader_with_their_basis_and_the_ended_bases(
    client: Client, personas: Personas
) -> None:
    oliver = _case(OLIVER)
    ended = services.basis_give(
        by=personas.consultant,
        origin=BasisOrigin.SHARE,
        purpose="Kort orientering af politiet.",
        case=oliver,
        user=personas.police,
        criteria=CRITERIA,
    )
    services.share_revoke(share=ended, by=personas.consultant)
    share = Basis.objects.get(case=oliver, user=personas.police2, ended_at__isnull=True)

    html = _page(client, personas.consultant, oliver, "adgang/")
    readers = _rows(html, "case-readers")
    bases = _rows(html, "case-bases")

    assert READERS_HEADING in html
    assert set(readers) >= {personas.consultant.full_name, personas.police2.full_name}
    assert personas.police.full_name not in readers
    assert "SSP-konsulent i sagens kommune" in readers[personas.consultant.full_name]
    police2 = readers[personas.police2.full_name]
    assert "Politi" in police2
    given = f"Grundlag (Retsplejelovens §115) givet til {share.recipient_label}: {share.purpose}"
    assert given in police2
    assert "SSP-konsulent" not in police2
    revoked = bases[personas.police.full_name]
    assert "Kort orientering af politiet." in revoked
    assert f"Tilbagekaldt ({personas.consultant.full_name})" in revoked
    assert "Gælder" in bases[personas.police2.full_name]


def test_the_case_page_links_the_readers_page_for_the_consultant_only(
    client: Client, personas: Personas
) -> None:
    mikkel = _case(MIKKEL)

    assert READERS_HEADING in _page(client, personas.consultant, mikkel)
    police_page = _page(client, personas.police, mikkel)
    assert READERS_HEADING not in police_page
    assert f"/sager/{mikkel.pk}/adgang/" not in police_page


def test_the_police_officer_never_sees_the_readers_page(client: Client, personas: Personas) -> None:
    mikkel = _case(MIKKEL)
    client.force_login(personas.police)

    response = client.get(f"/sager/{mikkel.pk}/adgang/")

    assert response.status_code == 403
    assert READERS_HEADING not in response.content.decode()


def _readers_page_queries(client: Client, personas: Personas, case: Case, extra: int) -> int:
    """Give `extra` police officers a §115 basis of their own, then count the queries of the
    readers page (requested once first, so process-wide caches are warm)."""
    for _number in range(extra):
        officer = AffiliationFactory(
            user__sector=Sector.POLICE, municipality=case.municipality
        ).user
        services.basis_give(
            by=personas.consultant,
            origin=BasisOrigin.SHARE,
            purpose="Orientering før samtalen.",
            case=case,
            user=officer,
            criteria=CRITERIA,
        )
    client.force_login(personas.consultant)
    client.get(f"/sager/{case.pk}/adgang/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/sager/{case.pk}/adgang/")
    assert response.status_code == 200
    assert response.content.decode().count("Orientering før samtalen.") == extra * 2
    return len(queries)


def test_the_readers_page_takes_the_same_queries_for_one_and_for_25_readers(
    client: Client, personas: Personas
) -> None:
    one = _readers_page_queries(client, personas, _case(OLIVER), 1)
    many = _readers_page_queries(client, personas, _case(AMALIE), MANY_READERS)

    assert one == many
