"""Importing a municipality's organisation: upload, preview, confirm. Keyword-only
`<entity>_<verb>` functions.

`import_upload` keeps the file (in the database) for its administrator; `import_plan` reads it
and works out what it would do, writing nothing; `import_confirm` locks the upload, plans again
against the organisation as it is then, and applies everything in one transaction through
`forum.services`, or nothing when any row is refused.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.models import Municipality
from orgimport.memberships import apply_memberships, plan_memberships
from orgimport.models import KEEP_FOR, ImportKind, OrgImport
from orgimport.people import apply_people, plan_people
from orgimport.plan import Plan
from orgimport.reading import UnreadableFile, read_file
from orgimport.state import state_load
from orgimport.units import apply_units, plan_units
from ssp.models import User

PLANNERS = {
    ImportKind.UNITS: plan_units,
    ImportKind.PEOPLE: plan_people,
    ImportKind.MEMBERSHIPS: plan_memberships,
}


def import_purge() -> int:
    """Delete the uploads older than a day, confirmed or not; returns how many."""
    deleted, _by_model = OrgImport.objects.filter(created_at__lt=timezone.now() - KEEP_FOR).delete()
    return deleted


@transaction.atomic
def import_upload(
    *, municipality: Municipality, owner: User, filename: str, content: bytes, kind: str
) -> OrgImport:
    """Keep an uploaded file for its preview and confirmation. Refused (with the reason in
    Danish) when it is not a spreadsheet the import reads."""
    if kind not in ImportKind.values:
        raise ValidationError({"kind": _("Vælg, hvad filen indeholder.")})
    try:
        read_file(content, kind)
    except UnreadableFile as error:
        raise ValidationError({"file": str(error)}) from None
    import_purge()
    return OrgImport.objects.create(
        municipality=municipality,
        owner=owner,
        filename=filename.replace("\x00", "")[:200],
        kind=kind,
        content=content,
    )


def import_plan(*, upload: OrgImport, by: User) -> Plan:
    """What the upload would create, change and leave alone, and every row refused. Units
    first, then people (whose unit codes may be new units), then memberships."""
    plan = Plan(municipality=upload.municipality, by=by)
    try:
        sheets, plan.skipped = read_file(bytes(upload.content), upload.kind)
    except UnreadableFile as error:
        plan.errors.append(str(error))
        return plan
    if not sheets:
        plan.errors.append(
            _(
                "Regnearket har ingen ark med enheder, personer eller medlemskaber. Brug "
                "overskrifterne fra skabelonen."
            )
        )
        return plan
    state = state_load(upload.municipality)
    by_kind = {sheet.spec.kind: sheet for sheet in sheets}
    for kind, planner in PLANNERS.items():
        if kind in by_kind:
            planner(plan, by_kind[kind], state)
    return plan


class ImportRefused(Exception):
    """The confirmation found errors: nothing was saved. `plan` lists them."""

    def __init__(self, plan: Plan) -> None:
        super().__init__("import refused")
        self.plan = plan


class AlreadyConfirmed(Exception):
    """The upload was confirmed before (a second click, a second tab): nothing is done."""


def import_confirm(*, upload: OrgImport, by: User) -> Plan:
    """Apply the upload in one transaction, or nothing. The upload's row is locked for the
    whole of it, so two confirmations at once import once: the second waits, then finds it
    confirmed (`AlreadyConfirmed`). A row a service refuses rolls everything back and is
    reported (`ImportRefused`), named like the preview's errors. The municipality's row is
    locked first, so two different uploads confirmed at once run one after the other, the
    second planned against what the first made (never two people of one email)."""
    with transaction.atomic():
        Municipality.objects.select_for_update().filter(pk=upload.municipality_id).first()
        locked = OrgImport.objects.select_for_update().get(pk=upload.pk)
        if locked.confirmed_at is not None:
            raise AlreadyConfirmed
        plan = import_plan(upload=locked, by=by)
        if plan.errors:
            raise ImportRefused(plan)
        try:
            with transaction.atomic():
                _apply(plan)
        except ValidationError as error:
            plan.errors.extend(error.messages)
            raise ImportRefused(plan) from None
        locked.confirmed_at = timezone.now()
        locked.content = b""
        locked.summary = plan.summary()
        locked.save(update_fields=["confirmed_at", "content", "summary"])
    return plan


def _apply(plan: Plan) -> None:
    units_sheet = plan.sheet(ImportKind.UNITS)
    units = apply_units(units_sheet, plan) if units_sheet else {}
    people_sheet = plan.sheet(ImportKind.PEOPLE)
    people = apply_people(people_sheet, plan, units) if people_sheet else {}
    memberships_sheet = plan.sheet(ImportKind.MEMBERSHIPS)
    if memberships_sheet:
        apply_memberships(memberships_sheet, plan, units, people)
