"""Every element id on a page is unique and every `<label for>` names an element that exists:
otherwise a screen reader reads a field without its label, and clicking the label focuses
another form's field (the case page had its consent and status forms share two ids)."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

import pytest
from django.test import Client

from cases.models import Case, Concern
from tests.meetings.minutes_helpers import first_monday_meeting
from tests.personas import Personas

pytestmark = pytest.mark.django_db

MIKKEL = "Demo-Mikkel Eksempelsen"


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()
        self.label_targets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids[attributes["id"]] += 1
        if tag == "label" and attributes.get("for"):
            self.label_targets.append(attributes["for"])


def _id_problems(html: str) -> list[str]:
    parser = _Ids()
    parser.feed(html)
    repeated = [f"id {name!r} {count} times" for name, count in parser.ids.items() if count > 1]
    dangling = [
        f"<label for={t!r}> without its field" for t in parser.label_targets if t not in parser.ids
    ]
    return repeated + dangling


def _case() -> Case:
    return Case.objects.get(young_person__full_name=MIKKEL)


def _concern() -> Concern:
    return Concern.objects.filter(young_person__full_name=MIKKEL).order_by("pk").first()


CONSULTANT_PAGES = {
    "front page": lambda: "/",
    "case list": lambda: "/sager/",
    "case page": lambda: f"/sager/{_case().pk}/",
    "case details form": lambda: f"/sager/{_case().pk}/rediger/",
    "share form": lambda: f"/sager/{_case().pk}/del/",
    "concern page": lambda: f"/bekymringer/{_concern().pk}/",
    "new concern": lambda: "/bekymringer/ny/",
    "my concerns": lambda: "/bekymringer/mine/",
    "triage queue": lambda: "/bekymringer/visitation/",
    "meeting list": lambda: "/moeder/",
    "meeting page": lambda: f"/moeder/{first_monday_meeting().pk}/",
    "organisation": lambda: "/organisation/",
    "statistics": lambda: "/statistik/",
}


@pytest.mark.parametrize("page", CONSULTANT_PAGES)
def test_the_consultants_pages_have_unique_ids_and_labels_tied_to_fields(
    client: Client, personas: Personas, page: str
) -> None:
    client.force_login(personas.consultant)

    response = client.get(CONSULTANT_PAGES[page](), follow=True)

    assert response.status_code == 200
    problems = _id_problems(response.content.decode())
    assert not problems, f"the {page}: " + "; ".join(problems)


def test_the_check_finds_a_repeated_id_and_a_dangling_label() -> None:
    html = '<label for="a">A</label><input id="b"><input id="b"><label for="c">C</label>'

    assert _id_problems(html) == [
        "id 'b' 2 times",
        "<label for='a'> without its field",
        "<label for='c'> without its field",
    ]
