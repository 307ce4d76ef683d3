"""The main menu (declared in ssp/navigation.py) and the breadcrumbs partial."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import resolve, reverse

from ssp.models import User
from ssp.navigation import Item, Link, Menu, crumbs, menu_for
from tests.factories import UserFactory
from tests.personas import PERSONA_NAMES, Personas

pytestmark = pytest.mark.django_db

EVERYONE_DA = [
    "Forside",
    "Organisation",
    "Aktører",
    "Sager",
    "Møder",
    "Forebyggelse",
    "Ny bekymring",
    "Mine bekymringer",
    "Statistik",
]
EVERYONE_EN = [
    "Home",
    "Organisation",
    "Directory",
    "Cases",
    "Meetings",
    "Prevention",
    "New concern",
    "My concerns",
    "Statistics",
]
# The administrator's pages, in the menu's order: the ActionCard editor, the confirmations, the
# invitations held back, the access log, the retention pages (legal hold, deletion log,
# retention periods) and Django admin.
ADMINISTRATOR_DA = [
    "SSP-handlekort",
    "Bekræftelser",
    "Invitationer, der venter",
    "Adgangslog",
    "Opbevaring og sletning",
    "Eksport af data",
    "Administration",
]
ADMINISTRATOR_EN = [
    "SSP ActionCard",
    "Confirmations",
    "Invitations waiting to be sent",
    "Access log",
    "Retention and deletion",
    "Data export",
    "Administration",
]
# The consultant reads the access log of the municipality they triage.
CONSULTANT_DA = ["Introduktion af nye", "Bekræftelser", "Adgangslog"]
CONSULTANT_EN = ["New staff", "Confirmations", "Access log"]


def _menus(page: str) -> tuple[list[str], list[str]]:
    """The labels of the desktop menu and of the mobile drawer's menu."""
    desktop = re.search(r'<nav class="nav".*?</nav>', page, re.S)
    mobile = re.search(r'<nav class="navigation-menu-mobile".*?</nav>', page, re.S)
    assert desktop, "the page has no main menu"
    assert mobile, "the page has no menu in its mobile drawer"
    labels = r'class="nav-link"[^>]*><span>([^<]*)</span>'
    return re.findall(labels, desktop.group(0)), re.findall(labels, mobile.group(0))


def _marks(page: str) -> dict[str, str]:
    """Each desktop menu item's label and how it is marked."""
    desktop = re.search(r'<nav class="nav".*?</nav>', page, re.S)
    assert desktop
    items = re.findall(r"<li([^>]*)><a ([^>]*)><span>([^<]*)</span>", desktop.group(0))
    return {
        label: " ".join(
            part
            for part in (
                "current" if 'class="active current"' in li else "active" if "active" in li else "",
                "aria-current" if 'aria-current="page"' in a else "",
            )
            if part
        )
        for li, a, label in items
    }


@pytest.mark.parametrize("name", PERSONA_NAMES)
@pytest.mark.parametrize(
    ("language", "everyone", "administrator", "consultant"),
    [
        ("da", EVERYONE_DA, ADMINISTRATOR_DA, CONSULTANT_DA),
        ("en", EVERYONE_EN, ADMINISTRATOR_EN, CONSULTANT_EN),
    ],
)
def test_each_persona_sees_the_menu_once_for_desktop_and_once_for_mobile(
    client: Client,
    personas: Personas,
    name: str,
    language: str,
    everyone: list[str],
    administrator: list[str],
    consultant: list[str],
) -> None:
    client.force_login(personas[name])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    desktop, mobile = _menus(client.get(reverse("dashboard")).content.decode())
    expected = everyone + {"admin": administrator, "consultant": consultant}.get(name, [])
    assert desktop == expected, f"{name} sees {desktop}"
    assert mobile == desktop


@pytest.mark.parametrize(
    ("label", "url_name"),
    [
        ("SSP-handlekort", "actioncard:editions"),
        ("Invitationer, der venter", "forum:held_logins_index"),
        ("Adgangslog", "cases:audit_search"),
        ("Opbevaring og sletning", "cases:retention_index"),
        ("Eksport af data", "archive:index"),
        ("Administration", "admin:index"),
    ],
)
def test_the_administrator_reaches_each_of_their_pages_from_the_menu(
    client: Client, personas: Personas, label: str, url_name: str
) -> None:
    client.force_login(personas.admin)
    page = client.get(reverse("dashboard")).content.decode()
    assert f'<a href="{reverse(url_name)}" class="nav-link"><span>{label}</span>' in page
    assert client.get(reverse(url_name)).status_code == 200, f"{label} refuses the admin"


def test_the_actioncard_editor_is_marked_on_its_pages_but_not_on_the_public_ones(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.admin)
    assert _marks(client.get(reverse("actioncard:editions")).content.decode()) == {
        **dict.fromkeys(EVERYONE_DA + ADMINISTRATOR_DA, ""),
        "SSP-handlekort": "active",
    }
    public = _marks(client.get(reverse("actioncard:public_index")).content.decode())
    assert public["SSP-handlekort"] == ""
    assert _marks(client.get(reverse("cases:audit_search")).content.decode())["Adgangslog"] == (
        "current aria-current"
    )


def test_the_retention_item_is_marked_on_each_of_its_pages(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.admin)
    glostrup = personas.admin.municipalities.get(code="161").pk
    for url in (
        reverse("cases:retention_index"),
        reverse("cases:legal_holds", args=[glostrup]),
        reverse("cases:deletion_log", args=[glostrup]),
        reverse("cases:retention_policy", args=[glostrup]),
    ):
        marks = _marks(client.get(url).content.decode())
        assert marks["Opbevaring og sletning"] == "active", url
        assert marks["Adgangslog"] == "", url


def test_a_platform_operator_is_not_offered_the_data_export(
    client: Client, personas: Personas
) -> None:
    """The host administers every municipality but takes no municipality's data out
    (archive.permissions): no menu item leads to a page that refuses it."""
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    desktop, mobile = _menus(client.get(reverse("dashboard")).content.decode())

    assert "Administration" in desktop
    assert "Eksport af data" not in desktop
    assert mobile == desktop
    assert client.get(reverse("archive:index")).status_code == 403


def test_only_administrators_see_the_administration_item(personas: Personas) -> None:
    staff = {name for name in PERSONA_NAMES if personas[name].is_staff}
    assert staff == {"admin"}, "the persona table above assumes only the admin is staff"


def test_the_front_page_is_the_current_item_on_the_front_page(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.consultant)
    marks = _marks(client.get(reverse("dashboard")).content.decode())
    assert marks["Forside"] == "current aria-current"
    assert [label for label, mark in marks.items() if mark] == ["Forside"]


def test_the_directory_is_current_and_the_organisation_is_not_marked_with_it(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.consultant)
    marks = _marks(client.get(reverse("forum:directory")).content.decode())
    assert marks["Aktører"] == "current aria-current"
    assert marks["Organisation"] == "", "the directory is not the organisation's section"


def test_a_section_is_marked_active_on_its_pages_but_not_announced_as_the_page(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.consultant)
    marks = _marks(client.get(reverse("cases:case_list")).content.decode())
    assert marks["Sager"] == "active"
    marks = _marks(client.get(reverse("meetings:my_meetings")).content.decode())
    assert marks["Møder"] == "active"
    assert marks["Statistik"] == ""


def test_the_reminder_settings_stay_under_meetings_in_menu_and_breadcrumbs(
    client: Client, personas: Personas
) -> None:
    """The page is the core's, outside the meetings namespace, but users reach it from
    "Mine møder" and it keeps the place it had there."""
    client.force_login(personas.consultant)
    page = client.get(reverse("reminder_settings")).content.decode()
    assert reverse("reminder_settings") == "/moeder/paamindelser/"
    assert _marks(page)["Møder"] == "active"
    assert re.findall(r'<a href="([^"]*)" class="breadcrumbs__link">([^<]*)</a>', page) == [
        ("/moeder/", "Møder")
    ]
    assert '<li class="breadcrumbs__list-item" aria-current="page">Mine påmindelser</li>' in page


def test_the_mobile_drawer_marks_no_item(client: Client, personas: Personas) -> None:
    client.force_login(personas.consultant)
    page = client.get(reverse("forum:directory")).content.decode()
    mobile = re.search(r'<nav class="navigation-menu-mobile".*?</nav>', page, re.S)
    assert mobile
    assert "active" not in mobile.group(0)
    assert "aria-current" not in mobile.group(0)


def test_a_signed_out_visitor_gets_no_menu(client: Client) -> None:
    page = client.get(reverse("actioncard:public_index")).content.decode()
    assert 'class="mainmenu"' not in page


def hidden_from_everyone(user: User) -> bool:
    return False


def test_a_visibility_rule_named_by_dotted_path_hides_an_item(personas: Personas) -> None:
    request = RequestFactory().get(reverse("dashboard"))
    request.user = personas.consultant
    request.resolver_match = resolve(request.path)
    items = (
        Item("Shown", "dashboard"),
        Item("Hidden", "forum:index", visible_to=f"{__name__}.hidden_from_everyone"),
    )
    assert [link.label for link in menu_for(request, items)] == ["Shown"]


@pytest.mark.parametrize(
    "name", [name for name in PERSONA_NAMES if name not in ("admin", "consultant")]
)
def test_the_menu_adds_no_query_to_a_page_of_anyone_but_an_administrator_or_a_consultant(
    personas: Personas, django_assert_max_num_queries, name: str
) -> None:
    """The rules read only the signed-in user, whom every page loads anyway: the access
    log's question is asked of staff and the SSP secretariat only."""
    request = RequestFactory().get(reverse("forum:directory"))
    request.user = User.objects.get(pk=personas[name].pk)
    request.resolver_match = resolve(request.path)
    with django_assert_max_num_queries(0):
        links = menu_for(request)
    assert [link.label for link in links if link.current] == ["Aktører"]


def test_the_menu_asks_one_query_for_an_administrators_two_pages(
    personas: Personas, django_assert_num_queries
) -> None:
    """The ActionCard editor, the access log and the retention pages ask the same question,
    once per request."""
    request = RequestFactory().get(reverse("forum:directory"))
    request.user = User.objects.get(pk=personas.admin.pk)
    request.resolver_match = resolve(request.path)
    with django_assert_num_queries(1):
        links = menu_for(request)
    assert [link.label for link in links][-len(ADMINISTRATOR_DA) :] == ADMINISTRATOR_DA


def test_the_breadcrumbs_link_each_page_above_and_name_the_page_itself() -> None:
    html = render_to_string(
        "partials/breadcrumbs.html",
        {"breadcrumbs": crumbs(("Sager", "/sager/"), ("Sag <1>", "/sager/1/"), "Tilføj indsats")},
    )
    assert html.startswith('<nav class="breadcrumbs" aria-label="Brødkrumme">')
    assert re.findall(r'<a href="([^"]*)" class="breadcrumbs__link">([^<]*)</a>', html) == [
        ("/sager/", "Sager"),
        ("/sager/1/", "Sag &lt;1&gt;"),
    ]
    assert '<li class="breadcrumbs__list-item" aria-current="page">Tilføj indsats</li>' in html


def test_a_page_without_breadcrumbs_shows_no_breadcrumb_navigation(
    client: Client, personas: Personas
) -> None:
    assert render_to_string("partials/breadcrumbs.html", {"breadcrumbs": []}).strip() == ""
    client.force_login(personas.consultant)
    page = client.get(reverse("dashboard")).content.decode()
    assert 'class="breadcrumbs"' not in page


def test_the_menu_asks_a_consultant_once_whether_they_triage(
    personas: Personas, django_assert_num_queries
) -> None:
    """The access log is the consultants' page too: one query, kept for the request, so the
    front page's triage queue asks it no more."""
    request = RequestFactory().get(reverse("forum:directory"))
    request.user = User.objects.get(pk=personas.consultant.pk)
    request.resolver_match = resolve(request.path)
    with django_assert_num_queries(1):
        links = menu_for(request)
        menu_for(request)
    assert [link.label for link in links][-len(CONSULTANT_DA) :] == CONSULTANT_DA


def test_the_consultant_reaches_the_access_log_from_the_menu(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.consultant)
    page = client.get(reverse("dashboard")).content.decode()
    url = reverse("cases:audit_search")
    assert f'<a href="{url}" class="nav-link"><span>Adgangslog</span>' in page
    assert client.get(url).status_code == 200, "the access log refuses the consultant"


def test_the_menus_markup_escapes_labels_and_marks_the_page_on_the_desktop_bar_only() -> None:
    """The menu is rendered in Python (`ssp.navigation.Menu`), not by a template loop."""
    menu = Menu(
        [
            Link(label="Sager & <b>", url="/sager/?a=1&b=2", active=True, current=True),
            Link(label="Møder", url="/moeder/", active=True),
            Link(label="Forside", url="/"),
        ]
    )

    assert menu.desktop == (
        '<ul class="mainmenu">\n'
        '  <li class="active current"><a href="/sager/?a=1&amp;b=2" class="nav-link"'
        ' aria-current="page"><span>Sager &amp; &lt;b&gt;</span></a></li>\n'
        '  <li class="active"><a href="/moeder/" class="nav-link"><span>Møder</span></a></li>\n'
        '  <li><a href="/" class="nav-link"><span>Forside</span></a></li>\n'
        "  \n</ul>\n"
    )
    assert "active" not in menu.mobile
    assert "aria-current" not in menu.mobile
    assert menu.mobile.count("<li>") == 3
    assert [link.label for link in menu] == ["Sager & <b>", "Møder", "Forside"]
