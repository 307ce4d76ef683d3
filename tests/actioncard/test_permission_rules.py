"""Who may use the ActionCard's editorial pages, persona by persona: the URL table proves the
views ask `can_edit_any`; this pins the rule."""

from __future__ import annotations

import pytest

from actioncard import permissions
from tests.personas import PERSONA_NAMES, Personas

pytestmark = pytest.mark.django_db


def test_only_administrators_edit_an_actioncard(personas: Personas) -> None:
    answers = {name: permissions.can_edit_any(personas[name]) for name in PERSONA_NAMES}
    assert answers == {name: name == "admin" for name in PERSONA_NAMES}
