"""What publishing an edition changes, against the last published one: the diff the
administrator confirms before publishing (people, units and bodies added, removed or changed;
page one's contacts; the texts)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from actioncard import contacts, snapshot
from actioncard.models import PUBLIC_STATUSES, Edition

BODY_FIELDS = {
    "name": _("navn"),
    "kind": _("type"),
    "parent": _("hører under"),
    "rhythm": _("mødes"),
}


@dataclass
class Changed:
    """One thing that is in both editions but differs; `fields` in words."""

    name: str
    fields: str


@dataclass
class EditionChanges:
    """Everything that differs; empty lists where nothing does."""

    people: snapshot.Changes
    bodies_added: list[str] = field(default_factory=list)
    bodies_removed: list[str] = field(default_factory=list)
    bodies_changed: list[Changed] = field(default_factory=list)
    # (situation in words, before, after): names and numbers as one line each
    contacts_changed: list[tuple[str, str, str]] = field(default_factory=list)
    texts_changed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.people) or any(
            (
                self.bodies_added,
                self.bodies_removed,
                self.bodies_changed,
                self.contacts_changed,
                self.texts_changed,
            )
        )


def _bodies(before: dict[str, Any], after: dict[str, Any], changes: EditionChanges) -> None:
    old = {body["key"]: body for body in before.get("bodies", [])}
    new = {body["key"]: body for body in after.get("bodies", [])}
    changes.bodies_added = [body["name"] for key, body in new.items() if key not in old]
    changes.bodies_removed = [body["name"] for key, body in old.items() if key not in new]
    for key, body in new.items():
        if key not in old:
            continue
        fields = [name for name in BODY_FIELDS if old[key].get(name) != body.get(name)]
        if fields:
            changes.bodies_changed.append(
                Changed(body["name"], ", ".join(str(BODY_FIELDS[name]) for name in fields))
            )


def _line(row: dict[str, Any] | None) -> str:
    if row is None:
        return "–"
    parts = [
        " ".join(part for part in (entry["name"], entry["phone"]) if part)
        for entry in row["entries"]
        if not entry["national"]
    ]
    return "; ".join(parts) or "–"


def _contacts(before: dict[str, Any], after: dict[str, Any], changes: EditionChanges) -> None:
    old = {row["situation"]: row for row in before.get("contacts") or []}
    new = {row["situation"]: row for row in after.get("contacts") or []}
    for key in contacts.SITUATION_KEYS:
        was, now = _line(old.get(key)), _line(new.get(key))
        if was != now:
            label = str(contacts.LABELS[key])
            changes.contacts_changed.append((label, was, now))


def _guide(edition: Edition) -> list[tuple[str, str]]:
    return [(entry.situation, entry.advice) for entry in edition.guide.all()]


def compare(before: Edition | None, after: Edition) -> EditionChanges | None:
    """The changes from `before` (the last published edition) to `after`; None without one."""
    if before is None:
        return None
    changes = EditionChanges(people=snapshot.compare(before.contents, after.contents))
    _bodies(before.contents, after.contents, changes)
    _contacts(before.contents, after.contents, changes)
    if before.foreword != after.foreword:
        changes.texts_changed.append(str(_("Forord")))
    if before.purpose != after.purpose:
        changes.texts_changed.append(str(_("Formål og værdier")))
    if _guide(before) != _guide(after):
        changes.texts_changed.append(str(_("Gode råd")))
    return changes


def last_published(edition: Edition) -> Edition | None:
    """The edition this one would follow: the one it corrects, else the newest public one of
    the municipality (of an earlier year)."""
    if edition.supersedes_id:
        return edition.supersedes
    return (
        Edition.objects.filter(municipality_id=edition.municipality_id, status__in=PUBLIC_STATUSES)
        .exclude(pk=edition.pk)
        .filter(year__lt=edition.year)
        .order_by("-year", "-version")
        .first()
    )
