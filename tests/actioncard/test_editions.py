"""An administrator makes the year's ActionCard from the SSP-Forum, previews it, publishes it,
and corrects it; a published edition never changes."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from actioncard import services
from actioncard.models import Edition, EditionStatus, RenderPurpose, RenderStatus
from forum import services as forum_services
from forum.models import Body, BodyKind, Municipality, Person
from tests.actioncard.conftest import YEAR, pdf_text, publish, render_now
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def _start(glostrup: Municipality, personas: Personas, year: int = YEAR) -> Edition:
    return services.edition_start(municipality=glostrup, year=year, by=personas.admin)


# Filling the draft from the forum -------------------------------------------------------------


def test_a_draft_holds_the_forum_its_teams_and_the_years_dates(
    glostrup: Municipality, personas: Personas
) -> None:
    edition = _start(glostrup, personas)

    contents = edition.contents
    actors = {actor["name"]: actor for actor in contents["actors"]}
    assert {"Kirsten Kragh", "Peter Poulsen", "Jens Juhl", "Karin Kjær"} <= set(actors)
    assert actors["Kirsten Kragh"] | {"key": ""} == {
        "key": "",
        "name": "Kirsten Kragh",
        "job_title": "SSP-konsulent",
        "sector": "ssp",
        "unit": "Center for Familie og Forebyggelse",
        "role": "coordinator",
        "email": "konsulent@demo.ssp",
        "phone": "+45 43 23 60 01",
    }
    teams = {team["name"]: team for team in contents["teams"]}
    assert set(teams) == {"SSP-team Vestervang", "SSP-team Nordvang", "SSP-team Søndervang"}
    assert teams["SSP-team Vestervang"]["contact"]["name"] == "Kirsten Kragh"  # its tovholder
    kinds = {body["kind"] for body in contents["bodies"]}
    assert BodyKind.KREDSRAAD in kinds
    assert BodyKind.AD_HOC not in kinds
    dates = {row["body"]: row for row in contents["dates"]}
    assert dates["Mandagsgruppen (§115)"]["rhythm"] == "Hver mandag kl. 13–15."
    assert dates["SSP-Følgen"]["month"] == 1
    assert dates["SSP-Forum Glostrup"]["month"] == 4


def test_the_first_edition_gets_default_texts_and_the_next_keeps_last_years(
    glostrup: Municipality, personas: Personas
) -> None:
    first = _start(glostrup, personas)
    assert first.foreword
    assert first.purpose
    assert first.guide.count() == 4
    services.edition_texts_update(
        edition=first,
        foreword="Vores forord",
        purpose="Vores formål",
        guide=[("du er i tvivl", "Ring til SSP-konsulenten.")],
    )
    publish(first, personas.admin)

    second = _start(glostrup, personas, year=YEAR + 1)

    assert (second.foreword, second.purpose) == ("Vores forord", "Vores formål")
    assert [(e.situation, e.advice) for e in second.guide.all()] == [
        ("du er i tvivl", "Ring til SSP-konsulenten.")
    ]


def test_refreshing_a_draft_takes_in_changes_to_the_forum(
    glostrup: Municipality, personas: Personas
) -> None:
    edition = _start(glostrup, personas)
    forum = Body.objects.get(name="SSP-Forum Glostrup")
    forum_services.membership_add(
        body=forum,
        person=Person.objects.get(full_name="Bente Berg"),
        role="member",
        by=None,
    )

    refreshed = services.edition_refresh(edition=edition)

    assert "Bente Berg" in {actor["name"] for actor in refreshed.contents["actors"]}


# Publishing ----------------------------------------------------------------------------------


def test_publishing_stores_a_pdf_with_the_forum_the_teams_and_the_dates(
    published: Edition,
) -> None:
    assert published.status == EditionStatus.PUBLISHED
    assert published.published_at is not None
    text = pdf_text(published.pdf.read())
    for expected in (
        "SSP-handlekort for Glostrup 2027",
        "Kirsten Kragh",
        "Jens Juhl",
        "SSP-team Nordvang",
        "Hvem ringer jeg til, når",
        "Mandagsgruppen (§115)",
        "Hver mandag kl. 13–15.",
        "Københavns Vestegns Politi",
        "Pædagogisk Psykologisk Rådgivning",
    ):
        assert expected in text, f"{expected!r} is missing from the PDF"
    assert "PRØVETRYK" not in text


def test_a_published_edition_does_not_follow_the_forum(
    published: Edition, personas: Personas
) -> None:
    pdf_before = published.pdf.read()
    person = Person.objects.get(full_name="Jens Juhl")
    forum_services.person_update(person=person, full_name="Jens Juhl-Andersen")

    published.refresh_from_db()

    assert "Jens Juhl" in {actor["name"] for actor in published.contents["actors"]}
    assert "Jens Juhl-Andersen" not in str(published.contents)
    published.pdf.seek(0)
    assert published.pdf.read() == pdf_before


def test_nobody_can_change_a_published_edition(published: Edition) -> None:
    with pytest.raises(ValidationError):
        services.edition_texts_update(edition=published, foreword="x", purpose="y", guide=[])
    with pytest.raises(ValidationError):
        services.edition_refresh(edition=published)
    with pytest.raises(ValidationError):
        services.edition_discard(edition=published)
    # Nor the database, whatever the Python does.
    for change in (
        lambda: Edition.objects.filter(pk=published.pk).update(foreword="Ændret"),
        lambda: Edition.objects.filter(pk=published.pk).update(status=EditionStatus.DRAFT),
        lambda: Edition.objects.filter(pk=published.pk).delete(),
        lambda: published.guide.all().delete(),
    ):
        with pytest.raises(Exception, match="published"), transaction.atomic():
            change()
    published.refresh_from_db()
    assert published.foreword
    assert published.status == EditionStatus.PUBLISHED


def test_a_correction_supersedes_the_published_version(
    published: Edition, personas: Personas, client: Client
) -> None:
    correction = services.edition_correct(
        edition=published, by=personas.admin, note="Forkert telefonnummer til klubberne."
    )
    assert (correction.version, correction.status) == (2, EditionStatus.DRAFT)

    publish(correction, personas.admin)

    published.refresh_from_db()
    assert published.status == EditionStatus.SUPERSEDED
    assert correction.status == EditionStatus.PUBLISHED
    assert "Forkert telefonnummer til klubberne." in pdf_text(correction.pdf.read())
    current = client.get("/handlekort/161/").content.decode()
    assert "version 2" in current
    old = client.get("/handlekort/161/2027/v1/").content.decode()
    assert "Dette er en tidligere udgave." in old
    assert "erstattet af en rettelse" in old


# Bad input -----------------------------------------------------------------------------------


def test_publishing_without_the_required_texts_is_refused_and_nothing_changes(
    glostrup: Municipality, personas: Personas
) -> None:
    edition = _start(glostrup, personas)
    services.edition_texts_update(edition=edition, foreword=" ", purpose="", guide=[])

    with pytest.raises(ValidationError) as refused:
        services.render_request(edition=edition, by=personas.admin, purpose=RenderPurpose.PUBLISH)

    assert refused.value.messages == [
        "Skriv et forord.",
        "Skriv afsnittet om formål og værdier.",
    ]
    edition.refresh_from_db()
    assert edition.status == EditionStatus.DRAFT
    assert not edition.render_jobs.exists()


def test_an_empty_forum_cannot_be_published(
    glostrup: Municipality, personas: Personas, client: Client
) -> None:
    Body.objects.get(name="SSP-Forum Glostrup").memberships.all().delete()
    edition = _start(glostrup, personas)
    client.force_login(personas.admin)

    page = client.get(edition.get_absolute_url()).content.decode()
    response = client.post(f"/handlekort/redaktion/{edition.pk}/udgiv/", follow=True)

    assert "SSP-Forum har ingen aktører." in page
    assert "SSP-Forum har ingen aktører. Tilføj forummets medlemmer" in response.content.decode()
    edition.refresh_from_db()
    assert edition.status == EditionStatus.DRAFT


def test_a_second_edition_for_a_published_year_is_refused(
    published: Edition, personas: Personas, client: Client
) -> None:
    client.force_login(personas.admin)

    response = client.post(
        f"/handlekort/redaktion/kommune/{published.municipality_id}/ny/",
        {"year": YEAR},
        follow=True,
    )

    assert "Der findes allerede et handlekort for 2027." in response.content.decode()
    assert Edition.objects.filter(municipality=published.municipality, year=YEAR).count() == 1


def test_the_database_allows_one_open_edition_per_year(
    glostrup: Municipality, personas: Personas
) -> None:
    edition = _start(glostrup, personas)
    with pytest.raises(IntegrityError), transaction.atomic():
        Edition.objects.create(
            municipality=glostrup,
            year=YEAR,
            version=2,
            contents_taken_at=edition.contents_taken_at,
            created_by=personas.admin,
        )


def test_a_failed_rendering_leaves_a_draft_and_a_readable_message(
    glostrup: Municipality, personas: Personas, client: Client
) -> None:
    edition = _start(glostrup, personas)
    job = services.render_request(edition=edition, by=personas.admin, purpose="publish")
    # Contents the templates cannot draw: an actor without a sector.
    Edition.objects.filter(pk=edition.pk).update(contents={"actors": [{"name": "X"}]})

    job = render_now(job)

    assert job.status == RenderStatus.FAILED
    assert job.error == "PDF'en kunne ikke laves. Prøv igen; sker det igen, så kontakt support."
    edition.refresh_from_db()
    assert edition.status == EditionStatus.DRAFT
    assert not edition.pdf
    client.force_login(personas.admin)
    page = client.get(f"/handlekort/redaktion/{edition.pk}/pdf/{job.pk}/").content.decode()
    assert "PDF&#x27;en kunne ikke laves." in page


def test_a_second_click_on_publish_follows_the_first_rendering(
    glostrup: Municipality, personas: Personas
) -> None:
    edition = _start(glostrup, personas)
    first = services.render_request(edition=edition, by=personas.admin, purpose="preview")

    second = services.render_request(edition=edition, by=personas.admin, purpose="preview")

    assert second.pk == first.pk


def test_a_message_delivered_twice_renders_once(glostrup: Municipality, personas: Personas) -> None:
    edition = _start(glostrup, personas)
    job = render_now(services.render_request(edition=edition, by=personas.admin, purpose="preview"))
    finished_at = job.finished_at

    job = render_now(job)

    assert (job.status, job.attempts, job.finished_at) == (RenderStatus.DONE, 1, finished_at)


def test_the_next_years_draft_shows_what_changed_in_the_forum(
    published: Edition, personas: Personas, client: Client
) -> None:
    forum = Body.objects.get(name="SSP-Forum Glostrup")
    forum_services.membership_add(
        body=forum, person=Person.objects.get(full_name="Bente Berg"), by=None
    )
    forum.memberships.filter(person__full_name="Karin Kjær").delete()
    forum_services.person_update(
        person=Person.objects.get(full_name="Jens Juhl"), phone="+45 20 00 00 99"
    )
    Body.objects.get(name="SSP-team Nordvang").memberships.filter(
        person__full_name="Sara Skov"
    ).delete()
    draft = services.edition_start(
        municipality=published.municipality, year=YEAR + 1, by=personas.admin
    )
    client.force_login(personas.admin)

    page = client.get(draft.get_absolute_url()).content.decode()

    assert "Ændringer siden 2027" in page
    assert "Ny aktør: Bente Berg" in page
    assert "Ikke længere med: Karin Kjær" in page
    assert "Ændrede oplysninger: Jens Juhl (telefon)" in page
    assert "Ændret skoleteam: SSP-team Nordvang (medlemmer)" in page
    assert "Nyt skoleteam" not in page
