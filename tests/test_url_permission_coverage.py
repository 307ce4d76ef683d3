"""Every URL of the project appears in a permission table: a new URL without rows fails here.

The permission tables are the persona tables of the apps; their rows name URLs by URL name,
within the app's namespace (a meetings row may also name an un-namespaced URL such as
"dashboard", or another app's URL with its namespace, such as "reports:statistics"). A few
URLs are not about who may see which object: Django's admin, behind its own staff login, and
the pages that answer anonymous visitors by design. They are allowed below with the reason,
and a small table of what an anonymous visitor gets proves that each of them is what the
reason says.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from types import ModuleType

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, include, path

from meetings import services as meeting_services
from tests.actioncard import test_permissions as actioncard_table
from tests.archive import test_permissions as archive_table
from tests.cases import test_permission_matrix as cases_table
from tests.forum import test_permission_table as forum_table
from tests.meetings import test_meeting_permissions as meetings_table
from tests.meetings import test_registration as registration_table
from tests.onboarding import test_onboarding as onboarding_table
from tests.orgimport import test_pages as orgimport_table
from tests.permission_table import Table, send
from tests.personas import Personas
from tests.prevention import test_permissions as prevention_table
from tests.reports import test_permissions as reports_table
from tests.ssp import test_url_permissions as ssp_table

# The modules of the permission tables: each declares its rows as a `Table` named TABLE.
TABLE_MODULES: list[ModuleType] = [
    cases_table,
    meetings_table,
    registration_table,
    onboarding_table,
    orgimport_table,
    prevention_table,
    reports_table,
    actioncard_table,
    archive_table,
    forum_table,
    ssp_table,
]


def _file(module: ModuleType) -> str:
    return module.__name__.replace(".", "/") + ".py"


# (file, table): each row has the URL name in `name`, within the table's namespace.
TABLES: list[tuple[str, Table]] = [(_file(module), module.TABLE) for module in TABLE_MODULES]

# Namespaces outside the tables, whole.
ALLOWED_NAMESPACES: dict[str, str] = {
    # Platform operators only: every page is behind Django admin's own staff login (proved
    # below), and the user pages refuse municipal administrators (tests/ssp/test_user_admin.py).
    # Its URLs come from the registered ModelAdmins, not from the project's urls.py files.
    "admin": "Django admin: staff only, guarded by the admin's own login",
}

# Single URLs that answer anonymous visitors by design; each has rows in PUBLIC_ROWS.
PUBLIC_BY_DESIGN: dict[str, str] = {
    "login": "the sign-in page itself",
    "logout": "signing out needs no permission; POST only, so a link cannot sign anyone out",
    "password_reset": "forgotten password: for people who cannot sign in",
    "password_reset_done": "forgotten password: 'check your mail', the same for every address",
    "password_reset_confirm": "forgotten password: the emailed single-use token is the key",
    "password_reset_complete": "forgotten password: 'your password is changed'",
    "accessibility": "the accessibility statement must be public by law",
    "two_factor_verify": (
        "the second sign-in step: only for a session that just passed the password step "
        "(tests/ssp/test_two_factor.py); anyone else is sent back to the login page"
    ),
    "two_factor_setup": "setting up the authenticator app: as the second step, for newcomers",
    "oidc_authentication_init": (
        "sign-in through the identity provider; 404 unless OIDC_ENABLED (tests/ssp/test_oidc.py)"
    ),
    "oidc_authentication_callback": "the identity provider's answer; 404 unless OIDC_ENABLED",
    "admin_login": "Django admin's login form, replaced by a redirect to the two-step sign-in",
    "health": "for the load balancer and monitoring: up or down, no data",
    "set_language": "the language switch, also on the login page",
    "otp_webauthn:credential-authentication-begin": (
        "passkey as the second sign-in step: only for a session that just passed the password "
        "step, for that user's passkeys (tests/ssp/test_passkeys.py); anyone else gets 403"
    ),
    "otp_webauthn:credential-authentication-complete": "the answer to the step above",
    "otp_webauthn:credential-registration-begin": (
        "adding a passkey: JSON, 403 unless signed in with both factors and the app's code "
        "given in the last five minutes (tests/ssp/test_passkeys.py)"
    ),
    "otp_webauthn:credential-registration-complete": "the answer to the step above",
    "otp_webauthn:js-i18n-catalog": "the passkey script's translations: text only, no data",
    "meetings:calendar_feed": (
        "calendar apps cannot sign in: the secret token in the URL is the key, an unknown "
        "token answers 404"
    ),
}


@dataclass(frozen=True)
class PublicRow:
    name: str
    method: str
    url: Callable[[Personas], str]
    status: int
    # Where a 302 must lead: never the login page.
    location: str | None = None
    data: dict[str, str] | None = None


def _fixed(url: str) -> Callable[[Personas], str]:
    return lambda personas: url


def _calendar_feed(personas: Personas) -> str:
    return f"/kalender/{meeting_services.feed_create(user=personas.police)}.ics"


PUBLIC_ROWS = [
    PublicRow("login", "GET", _fixed("/log-ind/"), 200),
    PublicRow("logout", "GET", _fixed("/log-af/"), 405),
    PublicRow("logout", "POST", _fixed("/log-af/"), 302, location="/log-ind/"),
    PublicRow("password_reset", "GET", _fixed("/glemt-adgangskode/"), 200),
    PublicRow("password_reset_done", "GET", _fixed("/glemt-adgangskode/sendt/"), 200),
    # A made-up token: the page says the link is invalid (tests/ssp/test_password_reset.py).
    PublicRow("password_reset_confirm", "GET", _fixed("/ny-adgangskode/MQ/ugyldig-token/"), 200),
    PublicRow("password_reset_complete", "GET", _fixed("/ny-adgangskode/faerdig/"), 200),
    PublicRow("accessibility", "GET", _fixed("/tilgaengelighed/"), 200),
    # No Celery worker listens on the test's own broker: 503, not a login redirect. The 200
    # with a worker is in tests/ssp/test_health.py.
    PublicRow("health", "GET", _fixed("/health/"), 503),
    PublicRow(
        "set_language",
        "POST",
        _fixed("/i18n/setlang/"),
        302,
        location="/log-ind/",
        data={"language": "da", "next": "/log-ind/"},
    ),
    PublicRow("meetings:calendar_feed", "GET", _calendar_feed, 200),
    PublicRow("meetings:calendar_feed", "GET", _fixed("/kalender/ukendt.ics"), 404),
    # Without a password step, the second step and the app set-up send back to the login page.
    PublicRow("two_factor_verify", "GET", _fixed("/log-ind/kode/"), 302, location="/log-ind/"),
    PublicRow("two_factor_verify", "POST", _fixed("/log-ind/kode/"), 302, location="/log-ind/"),
    PublicRow("two_factor_setup", "GET", _fixed("/log-ind/opsaet-app/"), 302, location="/log-ind/"),
    PublicRow(
        "two_factor_setup", "POST", _fixed("/log-ind/opsaet-app/"), 302, location="/log-ind/"
    ),
    # Passkey endpoints (JSON): refused without a password step or a signed-in session, before
    # the method is looked at.
    PublicRow(
        "otp_webauthn:credential-authentication-begin",
        "POST",
        _fixed("/adgangsnoegler/login/start/"),
        403,
    ),
    PublicRow(
        "otp_webauthn:credential-authentication-begin",
        "GET",
        _fixed("/adgangsnoegler/login/start/"),
        403,
    ),
    PublicRow(
        "otp_webauthn:credential-authentication-complete",
        "POST",
        _fixed("/adgangsnoegler/login/afslut/"),
        403,
    ),
    PublicRow(
        "otp_webauthn:credential-registration-begin",
        "POST",
        _fixed("/adgangsnoegler/registrering/start/"),
        403,
    ),
    PublicRow(
        "otp_webauthn:credential-registration-complete",
        "POST",
        _fixed("/adgangsnoegler/registrering/afslut/"),
        403,
    ),
    PublicRow("otp_webauthn:js-i18n-catalog", "GET", _fixed("/adgangsnoegler/jsi18n/"), 200),
    # OIDC is off in the tests' settings (on in tests/ssp/test_oidc.py).
    PublicRow("oidc_authentication_init", "GET", _fixed("/log-ind/organisation/"), 404),
    PublicRow("oidc_authentication_callback", "GET", _fixed("/log-ind/organisation/retur/"), 404),
    # The admin is not public: its login form is the app's two-step sign-in.
    PublicRow(
        "admin_login",
        "GET",
        _fixed("/admin/login/?next=/admin/"),
        302,
        location="/log-ind/?next=%2Fadmin%2F",
    ),
    PublicRow("admin:index", "GET", _fixed("/admin/"), 302, location="/admin/login/?next=/admin/"),
    PublicRow(
        "admin:ssp_user_changelist",
        "GET",
        _fixed("/admin/ssp/user/"),
        302,
        location="/admin/login/?next=/admin/ssp/user/",
    ),
]


# Walking the URL configuration ---------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    namespace: str  # "cases", "" for the root, "outer:inner" when nested
    name: str | None
    route: str

    @property
    def qualified_name(self) -> str | None:
        """The name `reverse()` takes: "cases:case_detail", "login"."""
        if self.name is None:
            return None
        return f"{self.namespace}:{self.name}" if self.namespace else self.name


def routes(
    patterns: Iterable[URLPattern | URLResolver], namespace: str = "", prefix: str = ""
) -> Iterator[Route]:
    """Every URL pattern, depth first, with the namespace it is reversed in."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from routes(pattern.url_patterns, inner, route)
        else:
            yield Route(namespace, pattern.name, route)


def qualify(namespace: str, name: str, known: set[str]) -> str | None:
    """The URL a table row names: first in the table's namespace, then as written."""
    for candidate in (f"{namespace}:{name}" if namespace else name, name):
        if candidate in known:
            return candidate
    return None


def uncovered(all_routes: Iterable[Route], covered: set[str]) -> list[str]:
    """The URLs without rows and not allowed, named as `reverse()` takes them; unnamed
    patterns (which no table can name) by their route."""
    missing = []
    for route in all_routes:
        if route.namespace.split(":")[0] in ALLOWED_NAMESPACES:
            continue
        name = route.qualified_name
        if name is None:
            missing.append(f"<unnamed /{route.route}>")
        elif name not in covered:
            missing.append(name)
    return sorted(set(missing))


def _project_routes() -> list[Route]:
    return list(routes(get_resolver().url_patterns))


def _known_names() -> set[str]:
    return {name for route in _project_routes() if (name := route.qualified_name)}


def _covered_names() -> set[str]:
    known = _known_names()
    covered = {
        name
        for _, table in TABLES
        for row in table.rows
        if (name := qualify(table.namespace, row.name, known))
    }
    return covered | set(PUBLIC_BY_DESIGN)


# The coverage --------------------------------------------------------------------------------


def test_every_url_of_the_project_has_rows_in_a_permission_table() -> None:
    missing = uncovered(_project_routes(), _covered_names())

    assert missing == [], (
        "URLs without rows in any permission table (add rows to the app's table, or allow "
        f"them in tests/test_url_permission_coverage.py with the reason): {missing}"
    )


def test_every_table_row_names_an_existing_url() -> None:
    known = _known_names()
    stale = sorted(
        f"{file}: {row.name}"
        for file, table in TABLES
        for row in table.rows
        if qualify(table.namespace, row.name, known) is None
    )

    assert stale == [], f"table rows naming no URL of the project: {stale}"


def test_every_allowed_url_and_namespace_exists() -> None:
    known = _known_names()
    namespaces = {route.namespace.split(":")[0] for route in _project_routes()}

    assert set(PUBLIC_BY_DESIGN) - known == set(), "allowed public URLs that do not exist"
    assert set(ALLOWED_NAMESPACES) - namespaces == set(), "allowed namespaces that do not exist"


def test_every_public_url_and_allowed_namespace_is_proved_in_the_public_table() -> None:
    proved = {row.name for row in PUBLIC_ROWS}
    proved_namespaces = {name.split(":")[0] for name in proved if ":" in name}

    assert set(PUBLIC_BY_DESIGN) - proved == set(), "public URLs without a public-table row"
    assert set(ALLOWED_NAMESPACES) - proved_namespaces == set(), (
        "allowed namespaces without a public-table row"
    )
    assert proved <= set(PUBLIC_BY_DESIGN) | {
        name for name in _known_names() if name.split(":")[0] in ALLOWED_NAMESPACES
    }, "public-table rows for URLs that are neither public by design nor allowed"


def _view(request: HttpRequest) -> HttpResponse:
    return HttpResponse()


def test_the_check_names_a_new_url_without_rows_wherever_it_is_added() -> None:
    """The guard itself can fail: new URLs at the root, in an app and unnamed are reported."""
    patterns = [
        *get_resolver().url_patterns,
        path("ny-side/", _view, name="new_page"),
        path("", include(([path("sager/ny-liste/", _view, name="new_list")], "cases"))),
        path("uden-navn/", _view),
    ]

    missing = uncovered(routes(patterns), _covered_names())

    assert missing == ["<unnamed /uden-navn/>", "cases:new_list", "new_page"]


def test_the_walk_finds_namespaced_root_and_admin_urls() -> None:
    names = _known_names()

    for expected in (
        "cases:case_detail",
        "reports:statistics",
        "actioncard:editions",
        "forum:body_detail",
        "dashboard",
        "login",
        "set_language",
        "admin:index",
    ):
        assert expected in names, f"the walk misses {expected}"


# The public table ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "row",
    [pytest.param(row, id=f"{row.method}-{row.name}-{i}") for i, row in enumerate(PUBLIC_ROWS)],
)
def test_an_anonymous_visitor_gets_the_status_in_the_public_table(
    row: PublicRow, personas: Personas
) -> None:
    client = Client()
    url = row.url(personas)

    response = send(client, row.method, url, row.data)

    assert response.status_code == row.status, (
        f"anonymous {row.method} {url}: expected {row.status}, got {response.status_code}"
    )
    if row.status == 302:
        assert response["Location"] == row.location, (
            f"anonymous {row.method} {url} went to {response['Location']}"
        )
