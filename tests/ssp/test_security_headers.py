"""Every response carries a strict Content-Security-Policy and the other hardening headers, and
no page the browser renders holds inline script or style for that policy to refuse."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.personas import Personas

pytestmark = pytest.mark.django_db

EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=\"", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+=\"", re.IGNORECASE)
# Documents for WeasyPrint, never served to a browser: print CSS lives inline there.
PDF_TEMPLATES = {
    "pdf.html",
    "status_pdf.html",
    "minutes_pdf.html",
    "insight_report_pdf.html",
    "cooperation_plan_pdf.html",
}


def _policy(header: str) -> dict[str, str]:
    directives = (part.strip() for part in header.split(";") if part.strip())
    return {name: value for name, _, value in (d.partition(" ") for d in directives)}


@pytest.mark.parametrize("url", ["/log-ind/", "/handlekort/", "/health/"])
def test_public_responses_carry_the_hardening_headers(client: Client, url: str) -> None:
    response = client.get(url)

    assert _policy(response["Content-Security-Policy"]) == EXPECTED_CSP
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/sager/",
        "/moeder/",
        "/organisation/",
        "/bekymringer/ny/",
        "/statistik/",
        "/handlekort/redaktion/",
    ],
)
def test_signed_in_pages_hold_no_inline_script_style_or_event_handler(
    client: Client, personas: Personas, url: str
) -> None:
    client.force_login(personas.admin if "redaktion" in url else personas.consultant)

    response = client.get(url, follow=True)
    html = response.content.decode()

    assert response.status_code == 200
    assert "Content-Security-Policy" in response
    assert not INLINE_SCRIPT.search(html), f"inline script on {url}"
    assert not INLINE_STYLE.search(html), f"inline style on {url}"
    assert not EVENT_HANDLER.search(html), f"inline event handler on {url}"


def test_no_browser_template_has_inline_script_style_or_event_handler() -> None:
    offenders = []
    for path in sorted(Path(settings.BASE_DIR, "templates").rglob("*.html")):
        if path.name in PDF_TEMPLATES:
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, INLINE_STYLE, EVENT_HANDLER):
            if match := pattern.search(text):
                offenders.append(f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)}")

    assert not offenders, "templates the Content-Security-Policy would break:\n" + "\n".join(
        offenders
    )
