"""Importing an archive into an installation that does not have the municipality yet.

Everything happens in one transaction: the municipality, its organisation, meetings,
ActionCards, prevention work and (when the archive holds them) cases, then the derived state
the services normally keep (municipal roles as object permissions, each body's auth group,
each case's grants). Rows are written as they were (timestamps included) with
`save_base(raw=True)`, as Django's own `loaddata` does, so nothing is re-stamped.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import models, transaction

from actioncard.models import Edition, EditionStatus
from archive.members import CASES, MEMBERS, USERS_MEMBER, Member
from archive.reader import ArchiveRefused, OpenArchive
from archive.writer import CPR_SUFFIX, concrete_fields
from cases import cpr
from cases.grants import sync_case_grants
from cases.models import Case
from forum.models import Affiliation, Body, Municipality, Person, PoliceDistrict
from forum.permissions import sync_municipality_roles
from forum.services import body_groups_sync
from ssp.models import User

FROZEN_EDITION = (EditionStatus.PUBLISHED, EditionStatus.SUPERSEDED)


@dataclass
class ImportResult:
    municipality: Municipality
    counts: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    users_created: int = 0


class _Unresolved(Exception):
    pass


@dataclass
class Importer:
    archive: OpenArchive
    maps: dict[str, dict[int, int]] = field(default_factory=lambda: defaultdict(dict))
    users: dict[str, int] = field(default_factory=dict)
    result: ImportResult = field(default_factory=lambda: ImportResult(municipality=Municipality()))
    frozen_editions: list[tuple[int, str]] = field(default_factory=list)

    def ref(self, target: type[models.Model], value: Any) -> int | None:
        if value is None:
            return None
        if target is User:
            return self.users[value.lower()]
        if target is Municipality:
            pk = Municipality.objects.filter(code=value).values_list("pk", flat=True).first()
            if pk is None:
                raise _Unresolved(value)
            return pk
        if target is PoliceDistrict:
            return PoliceDistrict.objects.get_or_create(name=value)[0].pk
        if isinstance(value, dict):
            return self._external(target, value["external"])
        try:
            return self.maps[target._meta.label][int(value)]
        except KeyError:
            raise _Unresolved(value) from None

    def _external(self, target: type[models.Model], key: dict[str, Any]) -> int:
        found: int | None = None
        if target is Person:
            people = Person.objects.filter(municipality__code=key["municipality"])
            if key.get("email"):
                people = people.filter(email__iexact=key["email"])
            found = people.filter(full_name=key["full_name"]).values_list("pk", flat=True).first()
        elif target is Body:
            bodies = Body.objects.filter(name=key["name"])
            if key.get("municipality"):
                bodies = bodies.filter(municipality__code=key["municipality"])
            else:
                bodies = bodies.filter(
                    municipality__isnull=True, police_district__name=key["police_district"]
                )
            found = bodies.values_list("pk", flat=True).first()
        if found is None:
            raise _Unresolved(key)
        return found

    # Users ----------------------------------------------------------------------------------

    def import_users(self) -> None:
        for row in self.archive.json(USERS_MEMBER):
            email = row["email"].lower()
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                # No password: the person sets one through "Glemt adgangskode" or an
                # invitation, and sets up their authenticator app on first sign-in.
                user = User.objects.create_user(
                    email,
                    None,
                    full_name=row["full_name"],
                    sector=row["sector"],
                    is_active=row["is_active"],
                )
                self.result.users_created += 1
            self.users[email] = user.pk

    # Rows -----------------------------------------------------------------------------------

    def import_member(self, member: Member) -> None:
        fields = concrete_fields(member)
        by_name = {f.name: f for f in fields}
        label = member.label
        count = 0
        for row in self.archive.json(member.name):
            obj = member.model()
            try:
                for f in by_name.values():
                    self._set(obj, f, row)
            except _Unresolved:
                self.result.skipped[member.name] += 1
                continue
            if isinstance(obj, Body):
                obj.group = Group.objects.create(name=f"body:new:{uuid.uuid4()}")
            frozen_status = ""
            if isinstance(obj, Edition) and obj.status in FROZEN_EDITION:
                # Published editions are frozen by a trigger, guide included: they come in
                # as drafts and are published once their guide is in (`publish_frozen`).
                frozen_status, obj.status = obj.status, EditionStatus.DRAFT
            obj.save_base(raw=True, force_insert=True)
            if frozen_status:
                self.frozen_editions.append((obj.pk, frozen_status))
            if isinstance(obj, Body):
                Group.objects.filter(pk=obj.group_id).update(name=f"body:{obj.pk}")
            self.maps[label][int(row["id"])] = obj.pk
            for name in member.m2m:
                target = member.model._meta.get_field(name).related_model
                pks = []
                for value in row.get(name, []):
                    try:
                        pks.append(self.ref(target, value))
                    except _Unresolved:
                        self.result.skipped[f"{member.name}:{name}"] += 1
                getattr(obj, name).set(pks)
            count += 1
        self.result.counts[member.name] = count

    def _set(self, obj: models.Model, f: models.Field, row: dict[str, Any]) -> None:
        if f.name.endswith(CPR_SUFFIX):
            digits = row.get(f.name.removesuffix("_token"), "")
            setattr(obj, f.attname, cpr.encrypt(digits) if digits else "")
            hash_field = f.name.removesuffix("_token") + "_hash"
            setattr(obj, hash_field, cpr.lookup_hash(digits) if digits else "")
            return
        if f.name not in row:
            return  # an older archive without the field: the model's default
        value = row[f.name]
        if f.is_relation:
            try:
                value = self.ref(f.related_model, value)
            except _Unresolved:
                if not f.null:
                    raise
                value = None
            setattr(obj, f.attname, value)
        elif isinstance(f, models.FileField):
            if value:
                base = value.rsplit("/", 1)[-1]
                stored = f.storage.save(
                    f.generate_filename(obj, base) if _can_name(obj, f) else f"archive/{base}",
                    ContentFile(self.archive.members[value]),
                )
                setattr(obj, f.attname, stored)
            else:
                setattr(obj, f.attname, "")
        else:
            setattr(obj, f.attname, f.to_python(value) if value is not None else None)

    def publish_frozen(self) -> None:
        for pk, status in self.frozen_editions:
            Edition.objects.filter(pk=pk).update(status=status)

    def derive(self) -> None:
        """The state the services keep beside the rows."""
        municipality = self.result.municipality
        for affiliation in Affiliation.objects.filter(municipality=municipality).select_related(
            "user", "municipality"
        ):
            sync_municipality_roles(affiliation)
        body_groups_sync(Body.objects.filter(municipality=municipality))
        for case in Case.objects.filter(municipality=municipality):
            sync_case_grants(case)


def _can_name(obj: models.Model, f: models.FileField) -> bool:
    """Whether the field's own naming works before the row has a pk (it may read relations)."""
    try:
        f.generate_filename(obj, "x")
    except Exception:
        return False
    return True


@transaction.atomic
def archive_import(*, archive: OpenArchive) -> ImportResult:
    """Recreate the archive's municipality here; refuses one this installation already has."""
    code = archive.manifest["municipality"]["code"]
    name = archive.manifest["municipality"]["name"]
    if Municipality.objects.filter(models.Q(code=code) | models.Q(name=name)).exists():
        raise ArchiveRefused(
            f"This installation already has municipality {code} ({name}). The import only "
            "creates a municipality that is not here; nothing was imported."
        )
    importer = Importer(archive=archive)
    importer.import_users()
    for member in MEMBERS:
        if member.scope == CASES and CASES not in archive.manifest["scopes"]:
            continue
        if member.name not in archive.members:
            continue
        importer.import_member(member)
        if member.model is Municipality:
            importer.result.municipality = Municipality.objects.get(code=code)
    importer.publish_frozen()
    importer.derive()
    return importer.result
