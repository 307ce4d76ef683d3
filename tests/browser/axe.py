"""Run axe-core's WCAG 2.1 A/AA rules on a Playwright page."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page: Page) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, not as a <script> the page's
        # Content-Security-Policy would rightly refuse.
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return result["violations"]


def assert_accessible(page: Page) -> None:
    violations = axe_violations(page)
    report = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"][:3])
        for v in violations
    )
    assert not violations, f"axe found WCAG 2.1 A/AA violations on {page.url}:\n{report}"
