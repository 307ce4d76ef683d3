"""Input no keyboard gives and no database or mail header takes: a NUL byte anywhere and a line
break in a one-line field are refused by every form (ssp.forms.DkfdsFormMixin) with a Danish
message and the input kept, never a 500 and never a half-saved row; the one search that reads
its text without a form strips NUL; and the mail outbox sends a subject with line breaks as
one line instead of failing on it."""

from __future__ import annotations

import importlib
import pkgutil
from datetime import timedelta

import pytest
from django import forms
from django.core import mail
from django.test import Client
from django.utils import timezone

from forum.models import Body, Municipality
from meetings.models import Meeting
from ssp.forms import DkfdsFormMixin
from ssp.models import OutgoingEmail
from ssp.notify import mail as outbox
from ssp.notify.mail import email_send
from tests.personas import Personas

pytestmark = pytest.mark.django_db

NUL_MESSAGE = "Feltet indeholder et nul-tegn"
LINE_BREAK_MESSAGE = "Feltet skal stå på én linje"


class _Form(DkfdsFormMixin, forms.Form):
    title = forms.CharField(max_length=200)
    text = forms.CharField(max_length=200, widget=forms.Textarea, required=False)
    body = forms.ModelChoiceField(queryset=Body.objects.all(), to_field_name="name", required=False)
    day = forms.DateField(required=False)


def _meeting_page(personas: Personas, client: Client) -> str:
    client.force_login(personas.leader)
    team = Body.objects.get(name="SSP-team Vestervang", municipality__code="161")
    return f"/moeder/organ/{team.pk}/nyt/"


def _meeting_data(title: str) -> dict[str, str]:
    day = timezone.localdate() + timedelta(days=8)
    return {"title": title, "date": day.isoformat(), "start_time": "10:00", "end_time": "12:00"}


def test_a_nul_byte_in_the_young_person_lookup_is_ignored_not_a_500(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.consultant)
    glostrup = Municipality.objects.get(code="161")

    response = client.post(
        "/bekymringer/find-ung/", {"municipality": glostrup.pk, "lookup": "Demo-Mik\x00kel"}
    )

    assert response.status_code == 200
    assert "Demo-Mikkel Eksempelsen" in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"title": "Møde\x00"},
        {"title": "Møde", "text": "a\x00b"},
        {"title": "Møde", "body": "SSP-team\x00"},
        {"title": "Møde", "day": "2026-01-01\x00"},
    ],
    ids=["one-line", "textarea", "choice-by-name", "date"],
)
def test_a_nul_byte_in_any_field_is_refused_with_a_danish_message_before_any_query(
    data: dict[str, str], django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    form = _Form(data)

    with django_assert_num_queries(0):
        valid = form.is_valid()

    assert not valid
    (name,) = [name for name, value in data.items() if "\x00" in value]
    assert list(form.errors) == [name]
    assert NUL_MESSAGE in form.errors[name][0]


def test_a_meeting_title_with_a_nul_byte_comes_back_with_the_input_kept(
    client: Client, personas: Personas
) -> None:
    url = _meeting_page(personas, client)
    before = Meeting.objects.count()

    response = client.post(url, _meeting_data("Teammøde\x00"))

    assert response.status_code == 422
    page = response.content.decode()
    assert NUL_MESSAGE in page
    assert 'value="Teammøde' in page
    assert Meeting.objects.count() == before


@pytest.mark.parametrize("title", ["Møde\r\nBcc: alle@example.com", "Møde\nB", "Møde\rB"])
def test_a_line_break_in_a_meeting_title_is_refused_and_nothing_is_saved(
    client: Client, personas: Personas, title: str
) -> None:
    url = _meeting_page(personas, client)
    before = (Meeting.objects.count(), OutgoingEmail.objects.count())

    response = client.post(url, _meeting_data(title))

    assert response.status_code == 422
    assert LINE_BREAK_MESSAGE in response.content.decode()
    assert (Meeting.objects.count(), OutgoingEmail.objects.count()) == before


def test_line_breaks_around_a_one_line_value_and_inside_a_textarea_are_fine() -> None:
    form = _Form({"title": "\r\n Møde \n", "text": "første linje\r\nanden linje"})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["title"] == "Møde"
    assert form.cleaned_data["text"] == "første linje\r\nanden linje"


def test_a_subject_with_line_breaks_is_queued_and_sent_as_one_line(
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    (row,) = email_send(to=["a@test.ssp"], subject="Møde\r\nBcc: alle@example.com\n", body="x")

    assert row.subject == "Møde Bcc: alle@example.com"
    assert outbox.email_deliver(email_id=row.pk) is None
    (message,) = mail.outbox
    assert message.subject == "Møde Bcc: alle@example.com"
    assert message.bcc == []


def test_a_queued_subject_with_a_line_break_from_before_is_still_sent(
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    row = OutgoingEmail.objects.create(
        to="a@test.ssp", from_email="afsender@test.ssp", subject="Møde\nflyttet", body="x"
    )

    assert outbox.email_deliver(email_id=row.pk) is None

    assert [message.subject for message in mail.outbox] == ["Møde flyttet"]


APPS = ("ssp", "forum", "cases", "meetings", "actioncard", "reports", "home")


def _all_subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    return found.union(*(_all_subclasses(sub) for sub in found)) if found else found


def test_every_form_of_the_apps_keeps_the_input_rules() -> None:
    """The rules live in the shared mixin: a form that leaves it out would take NUL bytes,
    line breaks in titles and year 9999 again. Django admin's forms are Django's own."""
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" not in module.name and ".management" not in module.name:
                importlib.import_module(module.name)

    ours = [
        form
        for form in _all_subclasses(forms.BaseForm)
        if form.__module__.split(".")[0] in APPS and not form.__module__.endswith(".admin")
    ]

    assert len(ours) > 30, "the forms of the apps were not found"
    missing = sorted(
        f"{form.__module__}.{form.__qualname__}"
        for form in ours
        if not issubclass(form, DkfdsFormMixin)
    )
    assert missing == [], f"forms without DkfdsFormMixin: {missing}"
