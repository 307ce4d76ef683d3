"""The demo's published ActionCard: Glostrup's card for this year, with page one's contacts
chosen from the directory, published through the same service the PDF worker runs, so
`/handlekort/` shows it on a fresh `make run`. The two units it adds are fictional."""

from __future__ import annotations

from django.utils import timezone

from actioncard import contacts, services
from actioncard.models import PUBLIC_STATUSES, Edition, EditionStatus, RenderPurpose
from forum import services as forum_services
from forum.models import Municipality, Person, Unit
from ssp.models import Sector, User

MUNICIPALITY = "161"
EDITOR = "admin@demo.ssp"
# (name, sector, address, phone, email)
UNITS = [
    (
        "Socialvagten – døgnvagt for børn og unge",
        Sector.SOCIAL,
        "Rådhusparken 2, 2600 Glostrup",
        "+45 43 23 69 99",
        "socialvagt@demo.ssp",
    ),
    (
        "Infohus – forebyggelse af ekstremisme",
        Sector.SSP_SECRETARIAT,
        "Rådhusparken 2, 2600 Glostrup",
        "+45 43 23 60 40",
        "infohus@demo.ssp",
    ),
]


def _unit(municipality: Municipality, name: str, sector: str, *rest: str) -> Unit:
    unit = Unit.objects.filter(municipality=municipality, name=name).first()
    if unit is None:
        address, phone, email = rest
        unit = forum_services.unit_create(
            municipality=municipality,
            name=name,
            sector=sector,
            address=address,
            phone=phone,
            email=email,
        )
    return unit


def seed() -> None:
    municipality = Municipality.objects.get(code=MUNICIPALITY)
    year = timezone.localdate().year
    if Edition.objects.filter(
        municipality=municipality, year=year, status__in=PUBLIC_STATUSES
    ).exists():
        return
    editor = User.objects.get(email=EDITOR)
    watch, infohus = (_unit(municipality, *row) for row in UNITS)
    notifications = Unit.objects.get(municipality=municipality, name="Familieafsnittet")
    consultant = Person.objects.get(municipality=municipality, full_name="Kirsten Kragh")
    police = Unit.objects.get(municipality=municipality, name="Glostrup Lokalpoliti")
    edition = Edition.objects.filter(
        municipality=municipality, year=year, status=EditionStatus.DRAFT
    ).first() or services.edition_start(municipality=municipality, year=year, by=editor)
    services.edition_contacts_update(
        edition=edition,
        choices={
            contacts.WORRY: {"ref": f"person-{consultant.pk}"},
            contacts.ACUTE: {"ref": f"unit-{police.pk}"},
            contacts.NOTIFY: {"ref": f"unit-{notifications.pk}"},
            contacts.RADICALISATION: {"ref": f"unit-{infohus.pk}"},
            contacts.AFTER_HOURS: {"ref": f"unit-{watch.pk}"},
        },
        page_per_school=False,
    )
    job = services.render_request(
        edition=edition, by=editor, purpose=RenderPurpose.PUBLISH, enqueue=False
    )
    services.render_run(job_id=job.pk)
