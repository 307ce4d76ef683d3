"""The main menu and the breadcrumbs, declared once as data. The breadcrumbs are rendered by a
partial; the menu, shown on every signed-in page twice (desktop bar and mobile drawer), by
`Menu` here in Python, which costs a tenth of a template loop over its items.

The menu lives here, in the lowest layer, although most of its items lead to pages of higher
apps (`cases`, `meetings`, …). It names those pages only by url name, and a visibility rule
that belongs to a higher app by its dotted path, resolved on first use. So the whole menu
reads top to bottom in one place, in the order the user sees it, and `ssp` still imports no
app above it. (The alternative, each app registering its items from `AppConfig.ready()`,
would scatter one menu over five modules and make its order depend on `INSTALLED_APPS`.)

To add an item, add one `Item(...)` line to `MAIN_MENU`; for a page only some may open, name
a predicate `(user) -> bool` from that app's permissions.py, e.g.
    Item(_("Adgangslog"), "cases:audit_search", visible_to="cases.permissions.<rule>"),
Whether a user may open a page is still decided by the page; the rule only hides a link that
would lead to a refusal. Rules are called with the user and must not query the database
unless the page's pinned query count allows it: a page of the municipalities' administrators
names its rule through `for_administrators(...)`, which answers everyone else without one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache

from django.conf import settings
from django.http import HttpRequest
from django.urls import ResolverMatch, get_script_prefix, get_urlconf, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html, format_html_join
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from ssp.models import User

Rule = Callable[[User], bool]
Section = Callable[[ResolverMatch], bool]


@dataclass(frozen=True)
class Item:
    """One entry of the main menu.

    An item with a `section` (which pages belong to it) is marked active on each of them. An
    item without one is a single page: on that page it is marked, and announced, as the
    current page, and no section is marked (the directory is a page of the organisation's
    section, but the menu points at "Aktører"). `visible_to` is a predicate on the user, or
    its dotted path.
    """

    label: str
    url_name: str
    section: Section | None = None
    visible_to: Rule | str | None = None


def is_staff(user: User) -> bool:
    """Django admin is for the administrators; it refuses everyone else anyway."""
    return user.is_staff


def for_administrators(rule: str) -> Rule:
    """The rule of a page only a municipality's administrators may open, asked of staff only.

    `forum.services` keeps `is_staff` equal to "administers a municipality" (and operators are
    staff), so for everyone else, nearly every user, the menu knows the answer without the
    query the page's own rule makes; for staff that rule still decides.
    """

    def visible(user: User) -> bool:
        return user.is_staff and _rule(rule)(user)

    return visible


def _name(match: ResolverMatch) -> str:
    return match.url_name or ""


def _editorial(match: ResolverMatch) -> bool:
    """The ActionCard's editorial pages, not the public ones in the same namespace."""
    return match.namespace == "actioncard" and not _name(match).startswith("public")


# The data-protection pages of a municipality (legal holds, deletion log, retention periods).
RETENTION_PAGES = frozenset(
    {
        "retention_index",
        "legal_holds",
        "legal_hold_release",
        "deletion_log",
        "retention_policy",
    }
)

# The spring confirmation's pages for its reviewers (forum/confirmation_views.py).
ENTRY_REVIEW_PAGES = frozenset({"entry_reviews", "entry_review"})

# The pages of logins held back until the administrator sends them (forum/login_views.py).
HELD_LOGIN_PAGES = frozenset({"held_logins_index", "held_logins", "held_logins_send"})

MAIN_MENU: tuple[Item, ...] = (
    Item(_("Forside"), "dashboard"),
    Item(
        _("Organisation"),
        "forum:index",
        # The import of a municipality's organisation (orgimport) is part of its upkeep.
        section=lambda m: (
            m.namespace == "orgimport"
            or (m.namespace == "forum" and _name(m) not in ENTRY_REVIEW_PAGES | HELD_LOGIN_PAGES)
        ),
    ),
    Item(_("Aktører"), "forum:directory"),
    Item(_("Sager"), "cases:case_list", section=lambda m: _name(m) in {"case_list", "case_detail"}),
    Item(
        _("Møder"),
        "meetings:my_meetings",
        # The reminder settings are the core's page, but the user reaches them from "Møder".
        section=lambda m: m.namespace == "meetings" or _name(m) == "reminder_settings",
    ),
    Item(_("Forebyggelse"), "prevention:index", section=lambda m: m.namespace == "prevention"),
    Item(_("Ny bekymring"), "cases:concern_create"),
    Item(_("Mine bekymringer"), "cases:my_concerns"),
    Item(_("Statistik"), "reports:statistics_index", section=lambda m: m.namespace == "reports"),
    Item(
        _("SSP-handlekort"),
        "actioncard:editions",
        section=_editorial,
        visible_to=for_administrators("actioncard.permissions.can_edit_any"),
    ),
    Item(
        _("Introduktion af nye"),
        "onboarding:overview",
        section=lambda m: m.namespace == "onboarding",
        # Like the access log's: no query for anyone but the SSP secretariat's staff.
        visible_to="onboarding.permissions.can_follow_onboarding",
    ),
    Item(
        _("Bekræftelser"),
        "forum:entry_reviews",
        section=lambda m: m.namespace == "forum" and _name(m) in ENTRY_REVIEW_PAGES,
        # The same audience as the access log, the administrators (the ActionCard's editors)
        # and the SSP secretariat's consultants, and so the same rule: no query for anyone else.
        visible_to="cases.oversight.can_search_audit",
    ),
    Item(
        _("Invitationer, der venter"),
        "forum:held_logins_index",
        section=lambda m: m.namespace == "forum" and _name(m) in HELD_LOGIN_PAGES,
        visible_to=for_administrators("forum.permissions.is_administrator_anywhere"),
    ),
    Item(
        _("Adgangslog"),
        "cases:audit_search",
        # The administrators' and the SSP consultants' page: its rule keeps to no query for
        # anyone but staff and the SSP secretariat.
        visible_to="cases.oversight.can_search_audit",
    ),
    Item(
        _("Opbevaring og sletning"),
        "cases:retention_index",
        section=lambda m: m.namespace == "cases" and _name(m) in RETENTION_PAGES,
        visible_to=for_administrators("cases.oversight.can_administer_retention"),
    ),
    Item(
        _("Eksport af data"),
        "archive:index",
        section=lambda m: m.namespace == "archive",
        # A municipality's own administrators; a platform operator administers everywhere but
        # takes no municipality's data out (archive.permissions).
        visible_to=for_administrators("archive.permissions.offered_exports"),
    ),
    Item(_("Administration"), "admin:index", visible_to=is_staff),
)


@dataclass(frozen=True)
class Link:
    """A menu item as one user sees it on one page."""

    label: str
    url: str
    active: bool = False
    current: bool = False


@cache
def _rule(path: str) -> Rule:
    return import_string(path)


def _visible(item: Item, user: User) -> bool:
    if item.visible_to is None:
        return True
    rule = _rule(item.visible_to) if isinstance(item.visible_to, str) else item.visible_to
    return rule(user)


@lru_cache(maxsize=256)
def _reversed(url_name: str, script_prefix: str, urlconf: str) -> str:
    """An item's address: the same for every user and request of one URL configuration and
    script prefix, so worked out once per process (it is not data about anyone)."""
    return reverse(url_name, urlconf=urlconf)


def _url(url_name: str) -> str:
    return _reversed(url_name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


def menu_for(request: HttpRequest, items: Iterable[Item] = MAIN_MENU) -> list[Link]:
    """The items this user sees, the one for this page marked."""
    shown = [(item, _url(item.url_name)) for item in items if _visible(item, request.user)]
    current = next(
        (item for item, url in shown if item.section is None and url == request.path), None
    )
    match = request.resolver_match

    def in_section(item: Item) -> bool:
        return current is None and match is not None and bool(item.section and item.section(match))

    return [
        Link(
            label=str(item.label),
            url=url,
            active=item is current or in_section(item),
            current=item is current,
        )
        for item, url in shown
    ]


_MENU_ITEM = '<li{}><a href="{}" class="nav-link"{}><span>{}</span></a></li>\n  '


class Menu:
    """The main menu of one request: its links, and its markup for the desktop bar (which
    marks the item of this page) and for the mobile drawer (which has never marked it)."""

    def __init__(self, links: list[Link]) -> None:
        self.links = links

    def __iter__(self) -> Iterator[Link]:
        return iter(self.links)

    @cached_property
    def desktop(self) -> SafeString:
        return self._html(marks_page=True)

    @cached_property
    def mobile(self) -> SafeString:
        return self._html(marks_page=False)

    def _html(self, *, marks_page: bool) -> SafeString:
        items = format_html_join(
            "",
            _MENU_ITEM,
            (
                (
                    _item_class(link) if marks_page else "",
                    link.url,
                    SafeString(' aria-current="page"') if marks_page and link.current else "",
                    link.label,
                )
                for link in self.links
            ),
        )
        return format_html('<ul class="mainmenu">\n  {}\n</ul>\n', items)


def _item_class(link: Link) -> SafeString | str:
    if link.current:
        return SafeString(' class="active current"')
    return SafeString(' class="active"') if link.active else ""


def main_menu(request: HttpRequest) -> dict[str, object]:
    """Context processor: the menu, worked out only by a page that shows it."""
    return {
        "main_menu": SimpleLazyObject(
            lambda: Menu(menu_for(request) if request.user.is_authenticated else [])
        )
    }


@dataclass(frozen=True)
class Crumb:
    label: str
    url: str = ""


def crumbs(*trail: tuple[object, str] | object) -> list[Crumb]:
    """The breadcrumbs of a page: `(label, url)` for each page above it, then its own label.

    A label may be an object; it is shown by its `str()`.
    """
    return [
        Crumb(str(step[0]), step[1]) if isinstance(step, tuple) else Crumb(str(step))
        for step in trail
    ]
