"""Reading the organisation pages in tests: a form's values and refused fields, the
error summary, a breadcrumb and the directory's headings."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from django.db.models import Model
from django.http import HttpResponse


class FormValues(HTMLParser):
    """What a rendered form shows, by element id: an input's value, a textarea's text, a
    select's selected option, a checkbox's checked state."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str | bool] = {}
        self.invalid: set[str] = set()
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        element_id = attributes.get("id")
        if element_id and attributes.get("aria-invalid") == "true":
            self.invalid.add(element_id)
        if tag == "input" and element_id:
            if attributes.get("type") == "checkbox":
                self.values[element_id] = "checked" in attributes
            else:
                self.values[element_id] = attributes.get("value") or ""
        elif tag == "textarea" and element_id:
            self._textarea = element_id
            self.values[element_id] = ""
        elif tag == "select" and element_id:
            self._select = element_id
            self.values[element_id] = ""
        elif tag == "option" and self._select and "selected" in attributes:
            self.values[self._select] = attributes.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea] = str(self.values[self._textarea]) + data


def parse_form(response: HttpResponse) -> FormValues:
    parser = FormValues()
    parser.feed(response.content.decode())
    return parser


def form_values(response: HttpResponse) -> dict[str, str | bool]:
    values = parse_form(response).values
    # Django writes a newline after <textarea> so a value's own first newline survives.
    return {k: v.removeprefix("\n") if isinstance(v, str) else v for k, v in values.items()}


def invalid_fields(response: HttpResponse) -> set[str]:
    """The ids of the fields marked aria-invalid."""
    return parse_form(response).invalid


def plain_text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def error_summary(response: HttpResponse) -> list[str]:
    """The lines of the DKFDS error summary ("Der er problemer på siden"), one per error."""
    page = response.content.decode()
    summaries = re.findall(
        r'<div class="alert alert-error" role="alert" tabindex="-1" data-error-summary>'
        r"(.*?)</ul>",
        page,
        flags=re.DOTALL,
    )
    assert len(summaries) == 1, f"expected one DKFDS error summary, found {len(summaries)}"
    assert "Der er problemer på siden" in summaries[0]
    return [plain_text(item) for item in re.findall(r"<li>(.*?)</li>", summaries[0], re.DOTALL)]


def field_error(response: HttpResponse, field_id: str) -> str:
    """The error message DKFDS shows next to one field."""
    match = re.search(
        rf'<span class="form-error-message" id="{field_id}-error">'
        r'<span class="sr-only">Fejl: </span>(.*?)</span>',
        response.content.decode(),
        flags=re.DOTALL,
    )
    assert match, f"no error message next to #{field_id}"
    return plain_text(match.group(1))


def assert_refused(response: HttpResponse, field_id: str, label: str, message: str) -> None:
    """422, the error named in the DKFDS error summary, and the field marked invalid."""
    assert response.status_code == 422
    assert f"{label}: {message}" in error_summary(response)
    assert field_id in invalid_fields(response)


def breadcrumb(response: HttpResponse, obj: Model) -> str:
    """The text of the breadcrumb linking to an object."""
    match = re.search(
        rf'<a href="{re.escape(obj.get_absolute_url())}" class="breadcrumbs__link">([^<]*)</a>',
        response.content.decode(),
    )
    assert match, f"no breadcrumb links to {obj.get_absolute_url()}"
    return html.unescape(match.group(1))


def heading_count(response: HttpResponse, heading_id: str) -> str:
    """The count heading of the directory's people or units: "3 personer", "1 enhed"."""
    match = re.search(rf'<h2 id="{heading_id}">([^<]*)</h2>', response.content.decode())
    assert match, f"no #{heading_id} on the page"
    return match.group(1)


def people_heading(response: HttpResponse) -> str:
    return heading_count(response, "people-heading")


def units_heading(response: HttpResponse) -> str:
    return heading_count(response, "units-heading")


def page_text(response: HttpResponse) -> str:
    return response.content.decode()


def body_type_pk(kind: str, code: str = "161") -> int:
    """The id of the demo municipality's body type of a kind (one each in the demo)."""
    from forum.models import BodyType

    return BodyType.objects.get(municipality__code=code, kind=kind).pk
