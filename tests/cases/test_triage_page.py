"""What triage shows a consultant: the young person's age and age band, school and class,
their other concerns and cases (links), suspected duplicates and the Barnets lov status, on
the concern page and, compact, in the queue; with pinned query counts for both."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cases import services
from cases.models import Case, Concern, ConcernCategory, NotificationStatus, SubjectKind
from devtools.demo.duplicates import AGAIN, REGISTERED
from forum import services as forum_services
from forum.models import Municipality, Unit
from ssp.models import User
from tests.personas import Personas

pytestmark = pytest.mark.django_db

MANY = 25


def _glostrup() -> Municipality:
    return Municipality.objects.get(code="161")


def _years_ago(years: int) -> date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - timedelta(days=10)


def _concern(author: User, name: str, *, age: int = 15, school_class: str = "") -> Concern:
    young_person = services.young_person_find_or_create(
        municipality=_glostrup(),
        full_name=name,
        birth_date=_years_ago(age),
        school=Unit.objects.get(municipality=_glostrup(), name="Glostrup Skole, afdeling Nordvang"),
        school_class=school_class,
        created_by=author,
    )
    return services.concern_submit(
        author=author,
        municipality=_glostrup(),
        subject_kind=SubjectKind.PERSON,
        young_person=young_person,
        category=ConcernCategory.objects.get(municipality=_glostrup(), name="Kriminalitet"),
        description="Set med ældre drenge ved stationen.",
        observed_on=timezone.localdate(),
        notification_status=NotificationStatus.WILL_BE_DONE,
    )


def test_the_concern_page_shows_age_band_school_class_other_records_and_notification(
    client: Client, personas: Personas
) -> None:
    registered_case = Case.objects.get(young_person__full_name=REGISTERED)
    again = Concern.objects.get(young_person__full_name=AGAIN)
    client.force_login(personas.consultant)

    page = client.get(f"/bekymringer/{again.pk}/").content.decode()

    assert '12 år · <span class="badge">SSP</span>' in page
    assert "Underretning bliver sendt" in page
    assert f"Mulig dublet: {REGISTERED}" in page
    assert "Glostrup Skole, afdeling Vestervang, 6.b" in page  # the registered record's
    assert f'href="/sager/{registered_case.pk}/"' in page


def test_the_age_band_follows_the_municipalitys_policy(client: Client, personas: Personas) -> None:
    concern = _concern(personas.club, "Demo-Voksen Ung", age=19, school_class="3.g")
    client.force_login(personas.consultant)
    page = client.get(f"/bekymringer/{concern.pk}/").content.decode()
    assert '19 år · <span class="badge">SSP+</span>' in page
    assert "Glostrup Skole, afdeling Nordvang, 3.g" in page

    forum_services.municipality_age_bands_set(
        municipality=_glostrup(), ssp_age_limit=12, ssp_plus_age_limit=18
    )
    page = client.get(f"/bekymringer/{concern.pk}/").content.decode()

    assert "19 år · over kommunens aldersgrupper" in page


def test_other_concerns_and_cases_about_the_young_person_are_linked(
    client: Client, personas: Personas
) -> None:
    mikkel_case = Case.objects.get(young_person__full_name="Demo-Mikkel Eksempelsen")
    first = mikkel_case.concerns.get()
    concern = services.concern_submit(
        author=personas.club,
        municipality=_glostrup(),
        subject_kind=SubjectKind.PERSON,
        young_person=mikkel_case.young_person,
        category=ConcernCategory.objects.get(municipality=_glostrup(), name="Kriminalitet"),
        description="Igen med nye ting.",
        observed_on=timezone.localdate(),
    )
    client.force_login(personas.consultant)

    page = client.get(f"/bekymringer/{concern.pk}/").content.decode()

    section = page[page.index("Andre bekymringer og sager") :]
    assert f'href="/sager/{mikkel_case.pk}/"' in section
    assert f'href="/bekymringer/{first.pk}/"' in section
    assert f'href="/bekymringer/{concern.pk}/"' not in section  # not itself


def test_the_author_sees_no_triage_facts(client: Client, personas: Personas) -> None:
    again = Concern.objects.get(young_person__full_name=AGAIN)
    client.force_login(personas.club)

    page = client.get(f"/bekymringer/{again.pk}/").content.decode()

    assert "Til visitationen" not in page
    assert REGISTERED not in page


def test_the_queue_shows_age_band_school_counts_duplicate_and_notification(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.consultant)

    page = client.get("/bekymringer/visitation/").content.decode()

    again = Concern.objects.get(young_person__full_name=AGAIN)
    row = page[page.index(f'href="/bekymringer/{again.pk}/"') :]
    row = row[: row.index("</li>")]
    assert "Mulig dublet" in row
    assert "12 år (SSP)" in row
    assert "Underretning: Underretning bliver sendt" in row
    assert "0 sager · 0 andre bekymringer" in row
    freja = Concern.objects.get(young_person__full_name="Demo-Freja Fantasisen")
    freja_row = page[page.index(f'href="/bekymringer/{freja.pk}/"') :]
    freja_row = freja_row[: freja_row.index("</li>")]
    assert "Mulig dublet" not in freja_row
    assert "Glostrup Skole, afdeling Vestervang" in freja_row


def _queue_rows(page: str) -> int:
    return len(re.findall(r'<li class="triage-row', page))


def test_the_queue_takes_the_same_queries_for_few_and_for_many_concerns(
    client: Client, personas: Personas, django_assert_num_queries
) -> None:
    # The user (sessions live in Redis), the triaged municipalities (as values, so the queue
    # is read off its index in its order; they answer the page's and the menu's triage
    # question too), the page's ids (a keyset page), the capped count, the page's rows in one
    # query (their counts and duplicate flag are subqueries), the access-log INSERT.
    expected = 6
    client.force_login(personas.consultant)
    client.get("/bekymringer/visitation/")
    with django_assert_num_queries(expected):
        few = client.get("/bekymringer/visitation/").content.decode()
    for number in range(MANY):
        _concern(personas.club, f"Tælle-Ung {number}", school_class=f"{number % 9 + 1}.a")
    with django_assert_num_queries(expected):
        many = client.get("/bekymringer/visitation/").content.decode()

    assert _queue_rows(few) < MANY
    assert _queue_rows(many) == MANY, "a page of the queue at a time"
    assert "Tælle-Ung 0" in many
    assert f"{_queue_rows(few) + MANY} nye bekymringer" in many


def test_the_concern_page_takes_the_same_queries_with_one_and_with_many_related_records(
    client: Client, personas: Personas, django_assert_num_queries
) -> None:
    concern = _concern(personas.club, "Tælle-Tvilling")
    client.force_login(personas.consultant)
    url = f"/bekymringer/{concern.pk}/"
    client.get(url)
    with django_assert_num_queries(EXPECTED_CONCERN_PAGE) as context:
        client.get(url)
    # A second record of the same child, and many other concerns about them.
    twin = services.young_person_find_or_create(
        municipality=_glostrup(),
        full_name="Tælle Tvilling",
        birth_date=concern.young_person.birth_date,
        created_by=personas.club,
    )
    for _number in range(5):
        services.concern_submit(
            author=personas.club,
            municipality=_glostrup(),
            subject_kind=SubjectKind.PERSON,
            young_person=twin,
            category=ConcernCategory.objects.get(municipality=_glostrup(), name="Rusmidler"),
            description="Igen.",
            observed_on=timezone.localdate(),
            notification_status=NotificationStatus.NOT_NEEDED,
        )
        services.concern_submit(
            author=personas.leader,
            municipality=_glostrup(),
            subject_kind=SubjectKind.PERSON,
            young_person=concern.young_person,
            category=ConcernCategory.objects.get(municipality=_glostrup(), name="Kriminalitet"),
            description="Igen.",
            observed_on=timezone.localdate(),
        )

    # One more: the INSERT that logs the suggested duplicate the page showed.
    with django_assert_num_queries(EXPECTED_CONCERN_PAGE + 1):
        page = client.get(url).content.decode()

    assert len(re.findall(r'<li><a href="/bekymringer/\d+/">Bekymring', page)) == 10
    assert "Mulig dublet: Tælle Tvilling" in page
    assert len(context.captured_queries) == EXPECTED_CONCERN_PAGE


# The user; the concern; its access-log row; the triage test; suspected duplicates,
# their concerns and cases (one query each); the corrections; the menu's triage question;
# the notification task, the routing rule's bases and the escalations sent; addenda; the
# forms' categories, bodies and cases.
EXPECTED_CONCERN_PAGE = 17
