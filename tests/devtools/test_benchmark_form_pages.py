"""`manage.py benchmark_form_pages` keeps working: over the demo (the test database holds it)
it times every form page both ways next to the layout floor, and leaves the Python path on."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

import ssp.forms
from ssp.widget_rendering import render_in_python

pytestmark = pytest.mark.django_db


def test_benchmark_form_pages_times_each_page_both_ways() -> None:
    out = io.StringIO()

    call_command("benchmark_form_pages", runs=1, stdout=out)

    rows = [line for line in out.getvalue().splitlines() if line.startswith("| ")][1:]
    cells = {tuple(cell.strip() for cell in row.strip("|").split("|")[:3]) for row in rows}
    pages = {
        ("club worker", "concern form"),
        ("SSP consultant", "concern form"),
        ("administrator", "body form"),
        ("administrator", "unit form"),
        ("SSP consultant", "floor: layout only"),
    }
    assert cells == {(*page, way) for page in pages for way in ("python", "templates")}
    assert ssp.forms.render_in_python is render_in_python
