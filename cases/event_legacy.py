"""Read the Danish sentences timeline lines were stored as before they became data.

Used once, by the migration that gave `CaseEvent` its `params`: each old line whose words
match what the services wrote then gets the message code and values `cases.event_texts`
renders, so it reads in the reader's language; a line that does not match keeps no params and
shows its stored text. The wordings and labels below are those of the code before the change
and must stay as they are (they describe old rows, not today's texts).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

STATUS = {"Åben": "open", "Aktiv": "active", "Opfølgning": "follow_up", "Lukket": "closed"}
CONSENT = {
    "Samtykke givet": "obtained",
    "Samtykke afvist": "refused",
    "Samtykke ikke indhentet": "not_sought",
}
ORIGIN = {
    "Deling": "share",
    "Sagen oprettet under organet": "case_opened",
    "Bekymringen sendt videre": "concern_routed",
    "Medlem af ad hoc-gruppen": "adhoc_member",
    "Sat på et mødes dagsorden": "agenda_item",
    "Beslutning på et møde": "decision",
    "Kommunens regel for kategorien": "routing_rule",
}
GROUND = {
    "Retsplejelovens §115": "section_115",
    "Samtykke": "consent",
    "Anden hjemmel": "legal_ground",
}
END_REASON = {
    "Tilbagekaldt": "revoked",
    "Udløbet": "expired",
    "Personen er ikke længere med i gruppen": "member_left",
    "Gruppen er lukket eller har ikke længere sagen": "group_closed",
    "Samtykket er trukket tilbage": "consent_withdrawn",
    "Sagen er slettet": "case_erased",
}
MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "januar",
            "februar",
            "marts",
            "april",
            "maj",
            "juni",
            "juli",
            "august",
            "september",
            "oktober",
            "november",
            "december",
        ],
        start=1,
    )
}

_STATUS = re.compile(r"^(?P<old>\S+) → (?P<new>\S+)(?:: (?P<reason>.*))?$", re.S)
_COORDINATOR = re.compile(r"^Tovholder: (?P<old>.+) → (?P<new>.+)$")
_CONCERN = re.compile(r"^Bekymring (?P<number>\d+)(?:: (?P<reason>.*))?$", re.S)
_ASSIGNED = re.compile(r"^(?P<name>.+) er ansvarlig for »(?P<title>.*)«$", re.S)
_SHARED = re.compile(r"^Delt med (?P<recipient>.+?)\. Formål: (?P<purpose>.*)$", re.S)
_GIVEN = re.compile(
    r"^(?P<recipient>.+) \((?P<origin>[^;()]+); grundlag: (?P<ground>[^()]+)\)\. "
    r"Formål: (?P<purpose>.*?)(?: Udløber (?P<expires>\d{1,2}\. \w+ \d{4})\.)?$",
    re.S,
)
_EXTENDED = re.compile(
    r"^(?P<recipient>.+): adgangen udløber nu (?P<date>\d{1,2}\. \w+ \d{4})\.$", re.S
)
_FORMED = re.compile(
    r"^Ad hoc-gruppe oprettet med (?P<name>.+?) som tovholder(?:\. (?P<change>Tovholder: .+))?$"
)
_MEETING = re.compile(r"^(?P<title>.*), (?P<d>\d\d)\.(?P<m>\d\d)\.(?P<y>\d{4})$", re.S)
_MERGED = re.compile(
    r"^(?P<removed>.+) \(nr\. (?P<removed_id>\d+)\) er lagt sammen med (?P<kept>.+?): "
    r"(?P<reason>.*)$",
    re.S,
)


CONCERN_STATUS = {
    "Ny": "new",
    "Knyttet til sag": "linked",
    "Sendt videre": "routed",
    "Afsluttet": "closed",
}
_CASE = re.compile(r"^Sag (?P<number>\d+)$")


def concern_case_change(old_value: str, new_value: str) -> tuple[str, str]:
    """A concern's move to a case as it was stored (the status's Danish label, "Sag 12"), as
    codes (the status's code, the case's number); a value not recognised stays as it is."""
    match = _CASE.match(new_value)
    return CONCERN_STATUS.get(old_value, old_value), match["number"] if match else new_value


def _danish_date(text: str | None) -> str | None:
    if not text:
        return None
    day, month, year = text.replace(".", "").split()
    return date(int(year), MONTHS[month], int(day)).isoformat()


def _coordinator_change(text: str) -> dict[str, Any] | None:
    match = _COORDINATOR.match(text)
    if match is None:
        return None
    old, new = match["old"], match["new"]
    return {
        "field": "coordinator",
        "old": None if old == "–" else old,
        "new": None if new == "–" else new,
    }


def _group(text: str) -> dict[str, Any] | None:
    if text == "Ad hoc-gruppen er lukket":
        return {"m": "group_closed"}
    if match := _FORMED.match(text):
        change = _coordinator_change(match["change"]) if match["change"] else None
        if match["change"] and change is None:
            return None
        return {"m": "group_formed", "name": match["name"], "changes": [change] if change else []}
    if text.endswith(" er ikke længere med"):
        return {"m": "member_removed", "name": text.removesuffix(" er ikke længere med")}
    if text.endswith(" er med i gruppen"):
        return {"m": "member_added", "name": text.removesuffix(" er med i gruppen")}
    return None


def _basis(text: str) -> dict[str, Any] | None:
    if match := _SHARED.match(text):
        return {"m": "shared", "recipient": match["recipient"], "purpose": match["purpose"]}
    if match := _EXTENDED.match(text):
        return {
            "m": "basis_extended",
            "recipient": match["recipient"],
            "date": _danish_date(match["date"]),
        }
    match = _GIVEN.match(text)
    if match is None or match["origin"] not in ORIGIN or match["ground"] not in GROUND:
        return None
    return {
        "m": "basis_given",
        "recipient": match["recipient"],
        "origin": ORIGIN[match["origin"]],
        "ground": GROUND[match["ground"]],
        "purpose": match["purpose"],
        "expires": _danish_date(match["expires"]),
    }


def _action(text: str) -> dict[str, Any]:
    if text.startswith("Udført: "):
        return {"m": "action_done", "title": text.removeprefix("Udført: ")}
    if match := _ASSIGNED.match(text):
        return {"m": "action_assigned", "name": match["name"], "title": match["title"]}
    return {"m": "action_added", "title": text}


def _status(text: str) -> dict[str, Any] | None:
    match = _STATUS.match(text)
    if match is None or match["old"] not in STATUS or match["new"] not in STATUS:
        return None
    return {
        "m": "status",
        "old": STATUS[match["old"]],
        "new": STATUS[match["new"]],
        "reason": match["reason"] or "",
    }


def _basis_ended(text: str) -> dict[str, Any] | None:
    recipient, _, reason = text.rpartition(": ")
    if not recipient or reason not in END_REASON:
        return None
    return {"m": "basis_ended", "recipient": recipient, "reason": END_REASON[reason]}


def _simple(kind: str, text: str) -> dict[str, Any] | None:
    """The kinds whose old line is one value."""
    if kind == "opened":
        return {"m": "opened", "body": text}
    if kind in ("revoked", "expired"):
        return {"m": kind, "recipient": text}
    if kind == "consent" and text in CONSENT:
        return {"m": "consent", "old": None, "new": CONSENT[text], "reason": ""}
    return None


def _pattern(kind: str, text: str) -> dict[str, Any] | None:
    """The kinds whose old line is a sentence with values in it."""
    if kind == "concern_linked" and (match := _CONCERN.match(text)):
        return {
            "m": "concern_linked",
            "concern": int(match["number"]),
            "reason": match["reason"] or "",
        }
    if kind == "details":
        change = _coordinator_change(text)
        return {"m": "details", "changes": [change]} if change else None
    if kind == "meeting" and (match := _MEETING.match(text)):
        day = date(int(match["y"]), int(match["m"]), int(match["d"]))
        return {"m": "meeting", "title": match["title"], "date": day.isoformat()}
    if kind == "merged" and (match := _MERGED.match(text)):
        return {
            "m": "merged",
            "removed": match["removed"],
            "removed_id": int(match["removed_id"]),
            "kept": match["kept"],
            "reason": match["reason"],
        }
    return None


def params_from_text(kind: str, text: str) -> dict[str, Any]:
    """The message code and values of an old line, or {} when its words are not recognised
    (the line then shows its stored text)."""
    if not text:
        return {}
    try:
        if kind == "status":
            parsed = _status(text)
        elif kind == "group":
            parsed = _group(text)
        elif kind in ("shared", "basis"):
            parsed = _basis(text)
        elif kind == "action":
            parsed = _action(text)
        elif kind == "basis_ended":
            parsed = _basis_ended(text)
        else:
            parsed = _simple(kind, text) or _pattern(kind, text)
    except (KeyError, ValueError):
        parsed = None
    return parsed or {}
