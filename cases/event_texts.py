"""The words of a case's timeline, rendered when the page is shown, in the reader's language.

A `CaseEvent` stores what happened as data: a message code (`params["m"]`) and its values
(names, codes, user-typed reasons, ISO dates), never a sentence. `event_message` turns that
into text through gettext now, so a reader who has chosen English reads English, also for
lines written while someone else used Danish. A row from before this scheme (no message code)
shows the text it was stored with. The codes of choices (status, consent, origin) are turned
into their labels here, so a renamed label is shown on old lines too.

The field changes of a case (`details` and `consent` lines) are the case's field history:
"Niveau: Generel → Specifik". They are part of the case and go with it when it is erased.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _

from cases.models.cases import CaseStatus, PreventionKind, PreventionLevel
from cases.models.sharing import BasisEndReason, BasisGround, BasisOrigin, ConsentStatus

Params = Mapping[str, Any]

# The case fields whose changes the timeline lists, with the labels of their choices.
CHOICES: dict[str, type[models.TextChoices]] = {
    "status": CaseStatus,
    "level": PreventionLevel,
    "prevention_kind": PreventionKind,
    "consent": ConsentStatus,
}


def field_label(field: str) -> str:
    """A changed field as the reader knows it."""
    labels = {
        "status": _("Status"),
        "level": _("Niveau"),
        "prevention_kind": _("Type forebyggelse"),
        "responsible_body": _("Ansvarligt organ"),
        "coordinator": _("Tovholder"),
        "follow_up_on": _("Opfølgning senest"),
        "consent": _("Samtykke"),
    }
    return labels.get(field, field)


def value_label(field: str, value: Any) -> str:
    """A field's stored value as text: a choice by its label, a date in the reader's format,
    nothing as a dash, a name as written."""
    if value in (None, ""):
        return "–"
    choices = CHOICES.get(field)
    if choices is not None:
        try:
            return str(choices(value).label)
        except ValueError:
            return str(value)
    if field == "follow_up_on":
        return _date(value)
    return str(value)


def _date(value: str) -> str:
    try:
        return formats.date_format(date.fromisoformat(value), "DATE_FORMAT")
    except (TypeError, ValueError):
        return str(value)


def _label(choices: type[models.TextChoices], value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def changes_lines(changes: list[Params]) -> list[str]:
    """ "Felt: gammel → ny" for each change."""
    return [
        f"{field_label(c['field'])}: {value_label(c['field'], c.get('old'))} → "
        f"{value_label(c['field'], c.get('new'))}"
        for c in changes
    ]


def _with_reason(text: str, p: Params) -> str:
    reason = (p.get("reason") or "").strip()
    return f"{text}: {reason}" if reason else text


def _opened(p: Params) -> str:
    return p["body"]


def _concern_linked(p: Params) -> str:
    return _with_reason(_("Bekymring %(number)s") % {"number": p["concern"]}, p)


def _status(p: Params) -> str:
    return _with_reason(f"{value_label('status', p['old'])} → {value_label('status', p['new'])}", p)


def _details(p: Params) -> str:
    return "; ".join(changes_lines(p.get("changes", [])))


def _consent(p: Params) -> str:
    text = value_label("consent", p["new"])
    if p.get("old"):
        text = f"{value_label('consent', p['old'])} → {text}"
    return _with_reason(text, p)


def _action_added(p: Params) -> str:
    return p["title"]


def _action_assigned(p: Params) -> str:
    return _("%(name)s er ansvarlig for »%(title)s«") % {"name": p["name"], "title": p["title"]}


def _action_done(p: Params) -> str:
    return _("Udført: %(title)s") % {"title": p["title"]}


def _shared(p: Params) -> str:
    return _("Delt med %(recipient)s. Formål: %(purpose)s") % {
        "recipient": p["recipient"],
        "purpose": p["purpose"],
    }


def _basis_given(p: Params) -> str:
    text = _("%(recipient)s (%(origin)s; grundlag: %(ground)s). Formål: %(purpose)s") % {
        "recipient": p["recipient"],
        "origin": _label(BasisOrigin, p["origin"]),
        "ground": _label(BasisGround, p["ground"]),
        "purpose": p["purpose"],
    }
    if p.get("expires"):
        text += " " + _("Udløber %(date)s.") % {"date": _date(p["expires"])}
    return text


def _basis_extended(p: Params) -> str:
    return _("%(recipient)s: adgangen udløber nu %(date)s.") % {
        "recipient": p["recipient"],
        "date": _date(p["date"]),
    }


def _recipient(p: Params) -> str:
    return p["recipient"]


def _basis_ended(p: Params) -> str:
    return f"{p['recipient']}: {_label(BasisEndReason, p['reason'])}"


def _group_formed(p: Params) -> str:
    text = _("Ad hoc-gruppe oprettet med %(name)s som tovholder") % {"name": p["name"]}
    lines = changes_lines(p.get("changes", []))
    return ". ".join([text, *lines])


def _member_added(p: Params) -> str:
    return _("%(name)s er med i gruppen") % {"name": p["name"]}


def _member_removed(p: Params) -> str:
    return _("%(name)s er ikke længere med") % {"name": p["name"]}


def _group_closed(p: Params) -> str:
    return _("Ad hoc-gruppen er lukket")


def _meeting(p: Params) -> str:
    return f"{p['title']}, {_date(p['date'])}"


def _merged(p: Params) -> str:
    return _("%(removed)s (nr. %(removed_id)s) er lagt sammen med %(kept)s: %(reason)s") % {
        "removed": p["removed"],
        "removed_id": p["removed_id"],
        "kept": p["kept"],
        "reason": p["reason"],
    }


RENDERERS: dict[str, Callable[[Params], str]] = {
    "opened": _opened,
    "concern_linked": _concern_linked,
    "status": _status,
    "details": _details,
    "consent": _consent,
    "action_added": _action_added,
    "action_assigned": _action_assigned,
    "action_done": _action_done,
    "shared": _shared,
    "basis_given": _basis_given,
    "basis_extended": _basis_extended,
    "revoked": _recipient,
    "expired": _recipient,
    "basis_ended": _basis_ended,
    "group_formed": _group_formed,
    "member_added": _member_added,
    "member_removed": _member_removed,
    "group_closed": _group_closed,
    "meeting": _meeting,
    "merged": _merged,
}


def event_message(params: Params, fallback: str = "") -> str:
    """The line's words in the active language; the stored text when the row has no message
    code or its values do not fit the message (a row written before this scheme)."""
    renderer = RENDERERS.get(params.get("m", "")) if params else None
    if renderer is None:
        return fallback
    try:
        return renderer(params)
    except (KeyError, TypeError):
        return fallback
