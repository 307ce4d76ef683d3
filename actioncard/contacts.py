"""Page one of the ActionCard: "who do I call when …", with a name and a number per situation.

The situations are fixed and their words are generated (so a reader sees them in their own
language). For each, the editor chooses a person or a unit from the municipality's directory,
or types a name and number when the contact is not in it; the choice is kept on the edition
(`Edition.contact_choices`). Taking the snapshot resolves the choices into names and numbers,
so a published edition keeps the numbers it was published with. Without a choice, a situation
falls back to what the forum's structure tells: the SSP consultant is the SSP-Forum's
coordinator (else an actor from the SSP secretariat), and the police is the municipality's
police unit. The national numbers (112, 114) are always on the card.

Snapshot shape (`contents["contacts"]`)::

    [{"situation": key, "chosen": bool,
      "entries": [{"ref", "name", "detail", "phone", "email", "national"}]}]

where `national` is "" or a key of NATIONAL, whose name is generated at display time.
`contents["consultant"]` is the SSP consultant's entry (or None): the route for people without
a login.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from forum.models import BodyKind, Membership, MembershipRole, Municipality, Person, Unit
from ssp.models import Sector

WORRY = "worry"
ACUTE = "acute"
NOTIFY = "notify"
RADICALISATION = "radicalisation"
AFTER_HOURS = "after_hours"

# (key, "Når …" in words, what to do, what to choose when editing)
SITUATIONS = (
    (
        WORRY,
        _("du er bekymret for et barn eller en ung"),
        _("Tal med skolens SSP-team, eller ring til SSP-konsulenten."),
        _("Normalt SSP-konsulenten."),
    ),
    (
        ACUTE,
        _("der er akut fare"),
        _("Ring 112. Fortæl bagefter SSP-konsulenten, hvad der er sket."),
        _("Normalt lokalpolitiet. 112 står altid på kortet."),
    ),
    (
        NOTIFY,
        _("du har pligt til at underrette"),
        _(
            "Underret kommunens socialforvaltning. En SSP-bekymring er ikke en underretning, "
            "og pligten er din egen."
        ),
        _("Den enhed, der tager imod underretninger."),
    ),
    (
        RADICALISATION,
        _("du ser tegn på radikalisering"),
        _("Ring til kommunens kontakt om ekstremisme (fx Infohus), eller til SSP-konsulenten."),
        _("Infohus eller kommunens kontakt om ekstremisme."),
    ),
    (
        AFTER_HOURS,
        _("det sker uden for kontortid"),
        _("Ring til socialvagten. Politiet har døgnåbent på 114."),
        _("Kommunens socialvagt (døgnvagt). 114 står altid på kortet."),
    ),
)
SITUATION_KEYS = tuple(key for key, *_rest in SITUATIONS)
LABELS = {key: label for key, label, _advice, _help in SITUATIONS}
ADVICE = {key: advice for key, _label, advice, _help in SITUATIONS}
HELP = {key: text for key, _label, _advice, text in SITUATIONS}

# National numbers that are always on the card: key -> (name, number).
NATIONAL = {
    "alarm": (_("Alarm (politi, ambulance, brand)"), "112"),
    "police": (_("Politiet, døgnåbent"), "114"),
}
NATIONAL_FOR = {ACUTE: ("alarm",), AFTER_HOURS: ("police",)}
# Situations that fall back to the SSP consultant when nothing is chosen.
CONSULTANT_FALLBACK = (WORRY, RADICALISATION)


def _person(person: Person) -> dict[str, str]:
    return {
        "ref": f"person-{person.pk}",
        "name": person.full_name,
        "detail": ", ".join(
            part for part in (person.job_title, person.unit and person.unit.name) if part
        ),
        "phone": person.phone,
        "email": person.email,
        "national": "",
    }


def _unit(unit: Unit) -> dict[str, str]:
    return {
        "ref": f"unit-{unit.pk}",
        "name": unit.name,
        "detail": unit.address,
        "phone": unit.phone,
        "email": unit.email,
        "national": "",
    }


def _national(key: str) -> dict[str, str]:
    return {
        "ref": "",
        "name": "",
        "detail": "",
        "phone": NATIONAL[key][1],
        "email": "",
        "national": key,
    }


def people_of(municipality: Municipality) -> QuerySet[Person]:
    """The directory people an editor may choose: the municipality's own."""
    return Person.objects.filter(municipality=municipality).select_related("unit")


def units_of(municipality: Municipality) -> QuerySet[Unit]:
    return Unit.objects.filter(municipality=municipality)


def consultant(forum_members: Iterable[Membership]) -> Person | None:
    """The SSP consultant: the SSP-Forum's coordinator, else an actor from the secretariat."""
    members = sorted(forum_members, key=lambda m: m.person.full_name)
    for membership in members:
        if membership.role == MembershipRole.COORDINATOR:
            return membership.person
    for membership in members:
        if membership.person.sector == Sector.SSP_SECRETARIAT:
            return membership.person
    return None


def _police_unit(municipality: Municipality) -> Unit | None:
    return (
        units_of(municipality)
        .filter(sector=Sector.POLICE)
        .exclude(phone="")
        .order_by("name")
        .first()
    )


def _chosen(municipality: Municipality, choice: dict[str, str]) -> dict[str, str] | None:
    """The entry an editor chose: a directory person or unit, else the typed name and number."""
    ref = choice.get("ref", "")
    kind, _sep, pk = ref.partition("-")
    if kind == "person" and pk.isdigit():
        person = people_of(municipality).filter(pk=pk).first()
        if person is not None:
            return _person(person)
    if kind == "unit" and pk.isdigit():
        unit = units_of(municipality).filter(pk=pk).first()
        if unit is not None:
            return _unit(unit)
    name, phone = choice.get("name", "").strip(), choice.get("phone", "").strip()
    if name or phone:
        return {"ref": "", "name": name, "detail": "", "phone": phone, "email": "", "national": ""}
    return None


def take(
    municipality: Municipality, choices: dict[str, dict[str, str]], forum_members: list[Membership]
) -> tuple[list[dict[str, Any]], dict[str, str] | None]:
    """The situations with their contacts, and the SSP consultant, as they stand now."""
    found = consultant(forum_members)
    consultant_entry = _person(found) if found else None
    police = _police_unit(municipality)
    rows = []
    for key in SITUATION_KEYS:
        entry = _chosen(municipality, choices.get(key) or {})
        entries = [entry] if entry else []
        if not entries and key in CONSULTANT_FALLBACK and consultant_entry:
            entries = [consultant_entry]
        if not entries and key == ACUTE and police is not None:
            entries = [_unit(police)]
        national = [_national(name) for name in NATIONAL_FOR.get(key, ())]
        # In acute danger 112 comes first; out of hours the municipality's own watch does.
        entries = [*national, *entries] if key == ACUTE else [*entries, *national]
        rows.append({"situation": key, "chosen": entry is not None, "entries": entries})
    return rows, consultant_entry


def forum_members(bodies: Iterable[Any]) -> list[Membership]:
    """The memberships of the SSP-Forum among prefetched bodies (with `members`)."""
    forum = next((body for body in bodies if body.kind == BodyKind.SSP_FORUM), None)
    return list(forum.members) if forum else []


def warnings(contents: dict[str, Any]) -> list[str]:
    """What page one lacks, for the editor: a situation without a number of the municipality's
    own (the national numbers do not count), or without a chosen contact where one is needed."""
    found = []
    rows = contents.get("contacts")
    if rows is None:
        return [str(_("Kortet er hentet før »Hvem ringer jeg til?«. Hent SSP-Forum igen."))]
    for row in rows:
        local = [entry for entry in row["entries"] if not entry["national"]]
        label = LABELS.get(row["situation"], row["situation"])
        if not any(entry["phone"] for entry in local):
            found.append(
                str(_("Intet telefonnummer til »Når %(situation)s«.")) % {"situation": label}
            )
        elif not row["chosen"] and row["situation"] in (NOTIFY, AFTER_HOURS):
            found.append(
                str(_("Ingen kontakt valgt til »Når %(situation)s«.")) % {"situation": label}
            )
    return found


def phones(contents: dict[str, Any]) -> list[str]:
    """Every phone number the card prints, for the tests that read it back."""
    numbers = [
        entry["phone"]
        for row in contents.get("contacts", [])
        for entry in row["entries"]
        if entry["phone"]
    ]
    numbers += [actor["phone"] for actor in contents.get("actors", []) if actor["phone"]]
    for team in contents.get("teams", []):
        if team.get("unit") and team["unit"]["phone"]:
            numbers.append(team["unit"]["phone"])
        if team.get("contact") and team["contact"]["phone"]:
            numbers.append(team["contact"]["phone"])
    return numbers
