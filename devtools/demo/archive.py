"""Demo data for the export of a municipality's data (archive/): Glostrup has named its
administrator Anne Andersen (admin@demo.ssp) to act for it as data controller, so the demo
shows the export with the cases as well as without (`archive.permissions`)."""

from __future__ import annotations

from archive import services
from forum.models import Municipality
from ssp.models import User


def seed() -> None:
    administrator = User.objects.get(email="admin@demo.ssp")
    services.controller_representative_name(
        municipality=Municipality.objects.get(code="161"),
        user=administrator,
        instruction="Demo: fiktiv udpegning, ingen rigtig instruks",
        by=administrator,
    )
