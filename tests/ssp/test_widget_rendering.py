"""The stock widgets and the DKFDS field template written in Python (ssp/widget_rendering.py,
ssp/field_rendering.py) give the very bytes the templates give: whole form pages are compared
with the templates switched back on, every widget kind with hostile values, and a hostile choice
label stays text."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

import ssp.forms
from forum.models import Municipality
from ssp.forms import DkfdsFormMixin
from tests.personas import Personas

HOSTILE = "<script>alert(\"x\")</script> & 'co'"


@pytest.fixture
def python_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The templates the Python path wrote, to prove a comparison compared something."""
    calls: list[str] = []
    real = ssp.forms.render_in_python

    def counting(template_name, context):  # type: ignore[no-untyped-def]
        html = real(template_name, context)
        if html is not None:
            calls.append(template_name)
        return html

    monkeypatch.setattr(ssp.forms, "render_in_python", counting)
    return calls


def _by_templates(monkeypatch: pytest.MonkeyPatch, render):  # type: ignore[no-untyped-def]
    with monkeypatch.context() as patch:
        patch.setattr(ssp.forms, "render_in_python", lambda template_name, context: None)
        return render()


def _without_tokens(html: str) -> str:
    """The CSRF token is masked anew per response, and a form's submission token (a UUID) and
    a script nonce are new per response."""
    html = re.sub(r"[A-Za-z0-9]{64}", "CSRF", html)
    html = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "UUID", html)
    return re.sub(r'nonce="[^"]+"', "NONCE", html)


class _EveryWidget(DkfdsFormMixin, forms.Form):
    text = forms.CharField(label=HOSTILE, help_text="Hjælp", required=False)
    email = forms.EmailField(required=False)
    number = forms.IntegerField(required=False)
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    secret = forms.CharField(required=False, widget=forms.PasswordInput(render_value=True))
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    agree = forms.BooleanField(required=False)
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        choices=[
            ("", "---------"),
            ("a", HOSTILE),
            (HOSTILE, [("b&c", "B & C"), ("1", 1)]),
            ("d", "Dé"),
        ],
        required=False,
        widget=forms.Select(attrs={"data-x": HOSTILE, "disabled": False, "autofocus": True}),
    )
    kinds = forms.MultipleChoiceField(
        choices=[("a", HOSTILE), ("b", "B")], required=False, widget=forms.SelectMultiple
    )
    pick = forms.ChoiceField(
        choices=[("a", HOSTILE), ("b", "B"), (HOSTILE, "C")],
        help_text="Vælg <em>én</em>",  # help texts are the project's own markup (`|safe`)
        widget=forms.RadioSelect,
    )
    picks = forms.MultipleChoiceField(
        choices=[("a", HOSTILE), ("b", "B & b")],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    ynu = forms.NullBooleanField(required=False)
    must = forms.BooleanField(help_text="<em>Hjælp</em>")
    site = forms.URLField(required=False, assume_scheme="https")
    hour = forms.TimeField(required=False)
    moment = forms.DateTimeField(required=False)
    upload = forms.FileField(required=False)
    phone = forms.CharField(required=False, widget=forms.TextInput(attrs={"type": "tel"}))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["email"].required_when = HOSTILE  # type: ignore[attr-defined]
        self.fields["picks"].required_when = "hvis der er flere"  # type: ignore[attr-defined]


BOUND = {
    "text": HOSTILE,
    "email": HOSTILE,
    "number": "12x",
    "day": "2024-02-30",
    "secret": HOSTILE,
    "note": f"\n{HOSTILE}",
    "agree": "on",
    "hidden": HOSTILE,
    "kind": "b&c",
    "kinds": ["a", "b"],
    "pick": HOSTILE,
    "picks": ["b"],
    "ynu": "true",
    "site": HOSTILE,
    "hour": "25:00",
    "moment": HOSTILE,
    "phone": HOSTILE,
}


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize("data", [None, BOUND], ids=["blank", "bound-with-errors"])
def test_every_widget_and_field_is_written_as_its_template_writes_it(
    monkeypatch: pytest.MonkeyPatch,
    python_calls: list[str],
    data: dict[str, object] | None,
    language: str,
) -> None:
    translation.activate(language)

    def render() -> str:
        form = _EveryWidget(data)
        form.is_valid()
        tags = [
            str(choice.tag(wrap_label=wrap))
            for name in ("pick", "picks")
            for choice in form[name]
            for wrap in (False, True)
        ]
        return "\n".join([str(form), *tags])

    by_python = render()
    assert len(set(python_calls)) >= 10, python_calls
    assert "forms/dkfds_field.html" in python_calls
    assert by_python == _by_templates(monkeypatch, render)


def test_a_hostile_choice_label_and_value_stay_text(python_calls: list[str]) -> None:
    html = str(_EveryWidget(BOUND))

    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;co&#x27;" in html
    assert '<option value="b&amp;c" selected>B &amp; C</option>' in html
    assert "django/forms/widgets/select.html" in python_calls
    assert "django/forms/widgets/radio_option.html" in python_calls


def _pages(personas: Personas) -> list[tuple[object, str]]:
    glostrup = Municipality.objects.get(code="161")
    return [
        (personas.club, reverse("cases:concern_create")),
        (personas.admin, reverse("forum:body_create", args=[glostrup.pk])),
        (personas.admin, reverse("forum:unit_create", args=[glostrup.pk])),
    ]


@pytest.mark.django_db
def test_form_pages_are_byte_identical_to_the_template_rendering(
    client: Client,
    personas: Personas,
    monkeypatch: pytest.MonkeyPatch,
    python_calls: list[str],
) -> None:
    for user, url in _pages(personas):
        client.force_login(user)
        python_calls.clear()
        by_python = client.get(url)
        assert by_python.status_code == 200, url
        assert "django/forms/widgets/select.html" in python_calls, url
        assert "forms/dkfds_field.html" in python_calls, url
        by_templates = _by_templates(monkeypatch, lambda url=url: client.get(url))
        python_html = _without_tokens(by_python.content.decode())
        templates_html = _without_tokens(by_templates.content.decode())
        assert python_html == templates_html, url


@pytest.mark.django_db
def test_the_concern_form_writes_its_choice_lists_in_python(
    client: Client, personas: Personas, python_calls: list[str]
) -> None:
    client.force_login(personas.club)

    html = client.get(reverse("cases:concern_create")).content.decode()

    assert 'type="radio"' in html
    assert "<option" in html
    assert python_calls.count("django/forms/widgets/radio_option.html") >= 2


@pytest.mark.django_db
def test_the_concern_forms_choice_lists_are_read_without_a_server_side_cursor(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.club)

    # The form, and its "more young people" rows as opening their section fetches them.
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("cases:concern_create")).content.decode()
        rows = client.get(
            reverse("cases:concern_other_young_people"), headers={"HX-Request": "true"}
        ).content.decode()

    statements = [query["sql"] for query in queries.captured_queries]
    assert not [sql for sql in statements if sql.startswith("DECLARE")]
    assert html.count('<select name="') >= 1  # the young person's school
    assert rows.count('<select name="') == 3  # each row's
