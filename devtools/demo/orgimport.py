"""Demo data for the import of a municipality's organisation (orgimport).

- Each demo unit gets a code (the municipality's code and a short slug: "161-GLOSTRUP-
  LOKALPOLITI"), the key an import finds it by, so a spreadsheet of the demo's own units is
  imported again as updates, not duplicates.
- The sample spreadsheet of the fictional municipality (Fiktivby: 40 schools, 300 people) is
  made by code, on request, from the import page of any demo municipality
  (`orgimport.workbooks.sample_workbook`); `SAMPLE_PATH` names it for the seed's message.

Idempotent: a unit that has a code keeps it.
"""

from __future__ import annotations

from django.utils.text import slugify

from forum import services as forum_services
from forum.models import Municipality, Unit


def unit_code(unit: Unit) -> str:
    return f"{unit.municipality.code}-{slugify(unit.name).upper()}"[:40]


def sample_path(municipality: Municipality) -> str:
    return f"/organisation/kommune/{municipality.pk}/import/eksempel.xlsx"


def seed() -> None:
    for unit in Unit.objects.filter(code="").select_related("municipality").order_by("pk"):
        code = unit_code(unit)
        if Unit.objects.filter(municipality=unit.municipality, code__iexact=code).exists():
            code = f"{code[:30]}-{unit.pk}"
        forum_services.unit_update(unit=unit, code=code)
