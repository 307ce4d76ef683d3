"""The case list's "Ansvarligt organ" filter names each body's municipality when the reader's
bodies are of several (a police district's school teams may share a name)."""

from __future__ import annotations

import re

from cases import selectors
from cases.forms import CaseSearchForm
from tests.personas import Personas

OPTION = re.compile(r'<option value="(\d+)"[^>]*>([^<]*)</option>')


def _options(user) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    form = CaseSearchForm(bodies=selectors.handling_bodies_of(user))
    return OPTION.findall(str(form["body"]))


def test_a_reader_of_several_municipalities_sees_each_bodys_municipality(
    personas: Personas,
) -> None:
    options = _options(personas.police)
    bodies = {
        str(body.pk): body
        for body in selectors.handling_bodies_of(personas.police).select_related("municipality")
    }

    assert len({body.municipality_id for body in bodies.values()}) > 1
    assert [pk for pk, _label in options] == list(bodies)
    for pk, label in options:
        body = bodies[pk]
        assert label == f"{body.name} ({body.municipality.name})"


def test_a_reader_of_one_municipality_sees_the_names_alone(personas: Personas) -> None:
    options = _options(personas.consultant)
    names = list(selectors.handling_bodies_of(personas.consultant).values_list("name", flat=True))

    assert options
    assert [label for _pk, label in options] == names
