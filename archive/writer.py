"""Writing a municipality's archive (docs/archive.md): rows → JSON members, files, statistics
as CSV, a manifest with counts and checksums, sealed members for personal data, one zip.

References between rows become natural keys where the target has one (a municipality's code,
a police district's name, a user's email) and otherwise the archive-local id of the target row
(its `id` in the member that holds it, meaningful only inside this archive). A reference to a
row the archive does not hold (a person or body of another municipality in a body that spans
several) becomes an `external` key the importing installation looks up; one it cannot express
is left empty (nullable references only; a row that needs one is left out and counted).
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from archive import crypto
from archive.members import CASES, STATISTICS, USERS_MEMBER, Member, members_for
from cases import cpr
from forum.models import Body, BodyKind, Municipality, Person, PoliceDistrict
from meetings.models import AgendaAttachment, AgendaItem, Decision, Meeting, Task
from ssp.models import User

FORMAT_NAME = "ssp-municipality-archive"
FORMAT_VERSION = "1.0"
MANIFEST = "manifest.json"
CPR_SUFFIX = "cpr_token"
# What an agenda item about a case says when cases are outside the export's scope.
REDACTED_ITEM_TITLE = "Sag – begrænset adgang"


class Missing:
    """A reference the archive cannot express."""


MISSING = Missing()


def migration_state() -> dict[str, str]:
    """The last migration applied per app, as `manage.py backup` records it."""
    state: dict[str, str] = {}
    for app, name in MigrationRecorder.Migration.objects.order_by("applied", "id").values_list(
        "app", "name"
    ):
        state[app] = name
    return dict(sorted(state.items()))


def concrete_fields(member: Member) -> list[models.Field]:
    meta = member.model._meta
    return [f for f in meta.concrete_fields if not f.primary_key and f.name not in member.exclude]


class ArchiveJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, except that times keep their microseconds (Django's cuts them to
    milliseconds, which would change every timestamp on the way through the archive)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


def _dumps(value: Any) -> bytes:
    return json.dumps(value, cls=ArchiveJSONEncoder, ensure_ascii=False, indent=1).encode()


@dataclass
class Exporter:
    municipality: Municipality
    scopes: tuple[str, ...]
    ids: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    users: dict[int, dict[str, Any]] = field(default_factory=dict)
    files: list[tuple[str, bytes]] = field(default_factory=list)
    left_out: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    redacted_items: set[int] = field(default_factory=set)
    # Without the case scope, a case's ad-hoc group stays behind, and with it its meetings.
    hidden_meetings: set[int] = field(default_factory=set)
    hidden_decisions: set[int] = field(default_factory=set)
    _adhoc_bodies: set[int] | None = None
    _codes: dict[int, str] = field(default_factory=dict)
    _districts: dict[int, str] = field(default_factory=dict)

    # References -----------------------------------------------------------------------------

    def _user(self, pk: int) -> str:
        if pk not in self.users:
            user = User.objects.get(pk=pk)
            self.users[pk] = {
                "email": user.email,
                "full_name": user.full_name,
                "sector": user.sector,
                "is_active": user.is_active,
            }
        return self.users[pk]["email"]

    def _code(self, pk: int) -> str:
        if pk not in self._codes:
            self._codes[pk] = Municipality.objects.values_list("code", flat=True).get(pk=pk)
        return self._codes[pk]

    def ref(self, target: type[models.Model], pk: int | None) -> Any:
        if pk is None:
            return None
        if target is User:
            return self._user(pk)
        if target is Municipality:
            return self._code(pk)
        if target is PoliceDistrict:
            if pk not in self._districts:
                self._districts[pk] = PoliceDistrict.objects.values_list("name", flat=True).get(
                    pk=pk
                )
            return self._districts[pk]
        if pk in self.ids[target._meta.label]:
            return pk
        if target is Person:
            person = Person.objects.select_related("municipality").get(pk=pk)
            return {
                "external": {
                    "municipality": person.municipality.code,
                    "email": person.email,
                    "full_name": person.full_name,
                }
            }
        if target is Body:
            body = Body.objects.select_related("municipality", "police_district").get(pk=pk)
            return {
                "external": {
                    "municipality": body.municipality.code if body.municipality else None,
                    "police_district": body.police_district.name if body.police_district else None,
                    "name": body.name,
                }
            }
        return MISSING

    # Rows -----------------------------------------------------------------------------------

    def _ordered(self, member: Member, rows: list[models.Model]) -> list[models.Model]:
        """Rows that refer to another row of the same member come after it."""
        own = [
            f for f in concrete_fields(member) if f.is_relation and f.related_model is member.model
        ]
        if not own:
            return rows
        by_pk = {row.pk: row for row in rows}
        done: set[int] = set()
        ordered: list[models.Model] = []

        def visit(row: models.Model, path: set[int]) -> None:
            if row.pk in done or row.pk in path:
                return
            for f in own:
                parent = by_pk.get(getattr(row, f.attname))
                if parent is not None:
                    visit(parent, path | {row.pk})
            done.add(row.pk)
            ordered.append(row)

        for row in rows:
            visit(row, set())
        return ordered

    def _redact(self, member: Member, obj: models.Model, row: dict[str, Any]) -> bool:
        """Keep case content out of an archive without the case scope; False: leave the row out."""
        if CASES in self.scopes:
            return True
        if self._adhoc_bodies is None:
            self._adhoc_bodies = set(
                Body.objects.filter(
                    municipality=self.municipality, kind=BodyKind.AD_HOC
                ).values_list("pk", flat=True)
            )
        # A case's ad-hoc group and everything of its meetings: who met about which child.
        if getattr(obj, "body_id", None) in self._adhoc_bodies:
            if isinstance(obj, Meeting):
                self.hidden_meetings.add(obj.pk)
            return False
        if getattr(obj, "meeting_id", None) in self.hidden_meetings:
            if isinstance(obj, AgendaItem):
                self.redacted_items.add(obj.pk)
            return False
        if isinstance(obj, Task) and obj.decision_id in self.hidden_decisions:
            return False
        if isinstance(obj, AgendaItem) and obj.case_id is not None:
            self.redacted_items.add(obj.pk)
            row.update(title=REDACTED_ITEM_TITLE, description="", minutes="", purpose="")
            return True
        # The attachments and decisions of such an item stay behind altogether.
        if isinstance(obj, AgendaAttachment | Decision) and obj.item_id in self.redacted_items:
            if isinstance(obj, Decision):
                self.hidden_decisions.add(obj.pk)
            return False
        return True

    def member_rows(self, member: Member) -> list[dict[str, Any]]:
        fields = concrete_fields(member)
        queryset = member.rows(self.municipality).order_by("pk").prefetch_related(*member.m2m)
        rows = self._ordered(member, list(queryset))
        label = member.label
        self.ids[label].update(row.pk for row in rows)
        out: list[dict[str, Any]] = []
        for obj in rows:
            row = self._row(member, obj, fields)
            if row is None or not self._redact(member, obj, row):
                self.ids[label].discard(obj.pk)
                self.left_out[member.name] += 1
                continue
            out.append(row)
        return out

    def _row(
        self, member: Member, obj: models.Model, fields: Iterable[models.Field]
    ) -> dict[str, Any] | None:
        row: dict[str, Any] = {"id": obj.pk}
        for f in fields:
            value = getattr(obj, f.attname)
            if f.is_relation:
                value = self.ref(f.related_model, value)
                if value is MISSING:
                    if not f.null:
                        return None
                    value = None
            elif isinstance(f, models.FileField):
                value = self._file(member, obj, f)
            elif f.name.endswith(CPR_SUFFIX):
                row[f.name.removesuffix("_token")] = cpr.decrypt(value) if value else ""
                continue
            row[f.name] = value
        for name in member.m2m:
            target = member.model._meta.get_field(name).related_model
            refs = [self.ref(target, other.pk) for other in getattr(obj, name).all()]
            row[name] = [r for r in refs if r is not MISSING and r is not None]
        return row

    def _file(self, member: Member, obj: models.Model, f: models.FileField) -> str:
        stored = getattr(obj, f.name)
        if not stored:
            return ""
        base = stored.name.rsplit("/", 1)[-1]
        path = f"files/{member.name.removesuffix('.json')}/{obj.pk}/{f.name}/{base}"
        with stored.open("rb") as handle:
            self.files.append((path, handle.read()))
        return path


def statistics_members(municipality: Municipality, user: User) -> list[tuple[str, bytes]]:
    """The municipality's statistics and prevention account per calendar year, as the
    statistics pages export them (full scope; small numbers suppressed as there)."""
    from reports import account_exports, figures, prevention_account
    from reports import exports as report_exports

    first = _first_year(municipality)
    this_year = timezone.localdate().year
    out: list[tuple[str, bytes]] = []
    for year in range(first, this_year + 1):
        filters = figures.Filters(start=date(year, 1, 1), end=date(year, 12, 31))
        scope = figures.Scope(user=user, municipality=municipality, full=True)
        report = figures.report(scope, filters)
        out.append((f"statistics/{year}.csv", report_exports.to_csv(report).encode()))
        account = prevention_account.account(scope, filters)
        out.append((f"statistics/{year}-prevention.csv", account_exports.to_csv(account).encode()))
    return out


def _first_year(municipality: Municipality) -> int:
    """The year of the municipality's first meeting, concern or activity (at most this year)."""
    from cases.models import Concern
    from meetings.models import Meeting
    from prevention.models import Activity

    years = [timezone.localdate().year]
    first_meeting = Meeting.objects.filter(body__municipality=municipality).order_by("starts_at")
    if (meeting := first_meeting.first()) is not None:
        years.append(timezone.localtime(meeting.starts_at).year)
    first_concern = Concern.objects.filter(municipality=municipality).order_by("submitted_at")
    if (concern := first_concern.first()) is not None:
        years.append(timezone.localtime(concern.submitted_at).year)
    first_activity = Activity.objects.filter(municipality=municipality).order_by("planned_on")
    if (activity := first_activity.first()) is not None:
        years.append(activity.planned_on.year)
    return min(years)


@dataclass(frozen=True)
class Written:
    data: bytes
    manifest: dict[str, Any]


def archive_write(
    *,
    municipality: Municipality,
    scopes: tuple[str, ...],
    key: bytes,
    kdf: crypto.KdfParameters,
    created_by_role: str,
    statistics_user: User,
    installation: str,
) -> Written:
    """The whole archive as bytes, with its manifest."""
    exporter = Exporter(municipality=municipality, scopes=scopes)
    plain: list[tuple[str, bytes, int | None, bool]] = []  # name, data, rows, personal
    for member in members_for(scopes):
        rows = exporter.member_rows(member)
        plain.append((member.name, _dumps(rows), len(rows), member.personal))
    users = sorted(exporter.users.values(), key=lambda u: u["email"])
    plain.insert(1, (USERS_MEMBER, _dumps(users), len(users), True))
    plain.extend((name, data, None, True) for name, data in exporter.files)
    if STATISTICS in scopes:
        plain.extend(
            (name, data, None, False)
            for name, data in statistics_members(municipality, statistics_user)
        )
    members: list[dict[str, Any]] = []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data, rows, personal in plain:
            stored = crypto.seal(key, name, data) if personal else data
            archive.writestr(name, stored)
            entry: dict[str, Any] = {
                "name": name,
                "sha256": hashlib.sha256(stored).hexdigest(),
                "size": len(stored),
                "encrypted": personal,
                "media_type": _media_type(name),
            }
            if rows is not None:
                entry["rows"] = rows
            members.append(entry)
        manifest = {
            "format": FORMAT_NAME,
            "format_version": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "created_by": {"role": created_by_role},
            "installation": installation,
            "municipality": {"code": municipality.code, "name": municipality.name},
            "scopes": list(scopes),
            "migrations": migration_state(),
            "encryption": {
                "cipher": crypto.CIPHER,
                "kdf": kdf.as_manifest(),
                "nonce_bytes": crypto.NONCE_BYTES,
                "associated_data": "member name",
                "key_check": crypto.key_check(key),
            },
            "left_out": dict(exporter.left_out),
            "members": members,
        }
        archive.writestr(MANIFEST, _dumps(manifest))
    return Written(data=buffer.getvalue(), manifest=manifest)


def _media_type(name: str) -> str:
    if name.endswith(".json"):
        return "application/json"
    if name.endswith(".csv"):
        return "text/csv"
    if name.endswith(".pdf"):
        return "application/pdf"
    return "application/octet-stream"
