"""The administrator exports the municipality's data on a 390 px phone: from the menu, a
refused form kept as typed, the status while the worker builds the archive, and the one
download. axe runs on every page."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from playwright.sync_api import Browser, Page, expect

from archive import services
from archive.models import ArchiveExport, ControllerRepresentative, ExportStatus
from tests.browser.axe import assert_accessible
from tests.browser.conftest import log_in, watched_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390
PASSPHRASE = "korrekt hest batteri hæfteklamme"


@pytest.fixture
def narrow_phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": PHONE_WIDTH, "height": 844},
        is_mobile=True,
        locale="da-DK",
        accept_downloads=True,
    )
    with watched_page(context) as page:
        yield page


def _assert_fits_the_phone(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} scrolls sideways ({width} px)"


def _build_at_once(export_id: int, sealed: str) -> None:
    """The worker's work, done in the server's process (the worker itself is proven in
    tests/archive/test_export_worker.py)."""
    services.archive_export_run(export_id=export_id, sealed=sealed)


def test_the_administrator_exports_glostrups_data_on_a_phone(
    narrow_phone: Page, demo_site: str
) -> None:
    page = narrow_phone
    # A plain administrator: the demo names this one Glostrup's data controller representative
    # (devtools/demo/archive.py), which would offer the cases too.
    ControllerRepresentative.objects.all().delete()
    log_in(page, demo_site, "admin@demo.ssp")
    page.goto(f"{demo_site}/eksport/")
    assert_accessible(page)
    page.get_by_role("link", name="Glostrup").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Eksport af kommunens data: Glostrup")
    assert_accessible(page)
    _assert_fits_the_phone(page)
    expect(page.get_by_label("Tag sagerne med", exact=False)).to_have_count(0)

    page.get_by_label("Formål").fill("Overdragelse til ny leverandør")
    page.get_by_label("Adgangsfrase", exact=True).fill(PASSPHRASE)
    page.get_by_label("Adgangsfrase igen").fill("en anden frase helt")
    page.get_by_role("button", name="Dan arkivet").click()
    expect(page.locator("#id_passphrase_again-error")).to_contain_text("ikke ens")
    expect(page.get_by_label("Formål")).to_have_value("Overdragelse til ny leverandør")
    assert_accessible(page)
    _assert_fits_the_phone(page)

    page.get_by_label("Adgangsfrase", exact=True).fill(PASSPHRASE)
    page.get_by_label("Adgangsfrase igen").fill(PASSPHRASE)
    with mock.patch.object(services, "_enqueue", _build_at_once):
        page.get_by_role("button", name="Dan arkivet").click()
        expect(page.get_by_role("link", name="Hent arkivet")).to_be_visible(timeout=30_000)
    assert_accessible(page)
    _assert_fits_the_phone(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Hent arkivet").click()
    data = Path(download_info.value.path()).read_bytes()
    assert "manifest.json" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert ArchiveExport.objects.get().status == ExportStatus.DOWNLOADED
