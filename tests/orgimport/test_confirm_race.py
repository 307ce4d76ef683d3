"""Two confirmations of one upload at the same moment (a double click, two tabs), on two
database connections: the upload's row is locked, so one imports and the other finds it
confirmed; the organisation holds each person once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from forum.models import Person, PoliceDistrict
from forum.setup import municipality_create_from_preset
from orgimport import services
from tests.orgimport.sheets import importer, person_row, upload, workbook


@pytest.mark.django_db(transaction=True)
def test_two_confirmations_at_once_import_once() -> None:
    district = PoliceDistrict.objects.create(name="Kapløbskredsen")
    municipality = municipality_create_from_preset(
        preset="koege", name="Kapløbskommune", code="997", police_district=district
    )
    by = importer()
    people = [person_row(f"Person {n}", f"p{n}@kommune.example") for n in range(30)]
    saved = upload(municipality, by, workbook(people=people))
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def confirm() -> None:
        try:
            barrier.wait()
            services.import_confirm(upload=saved, by=by)
            outcomes.append("imported")
        except services.AlreadyConfirmed:
            outcomes.append("already confirmed")
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["already confirmed", "imported"]
    assert Person.objects.filter(municipality=municipality).count() == 30


@pytest.mark.django_db(transaction=True)
def test_two_uploads_of_the_same_people_confirmed_at_once_add_each_person_once() -> None:
    """Two administrators upload the same file and confirm at the same moment: the
    municipality is locked, so the second is planned against what the first made."""
    district = PoliceDistrict.objects.create(name="Kapløbskredsen")
    municipality = municipality_create_from_preset(
        preset="koege", name="Kapløbskommune", code="997", police_district=district
    )
    by = importer()
    people = [person_row(f"Person {n}", f"p{n}@kommune.example") for n in range(30)]
    uploads = [upload(municipality, by, workbook(people=people)) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def confirm(saved) -> None:  # type: ignore[no-untyped-def]
        try:
            barrier.wait()
            services.import_confirm(upload=saved, by=by)
            outcomes.append("imported")
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(saved,)) for saved in uploads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes == ["imported", "imported"]
    assert Person.objects.filter(municipality=municipality).count() == 30
