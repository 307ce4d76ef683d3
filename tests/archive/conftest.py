"""The archive tests start from a municipality that has named no one to act for it as data
controller: the demo names Glostrup's administrator (devtools/demo/archive.py) so that the
demo shows the export with cases; each test names whom it needs."""

from __future__ import annotations

import pytest

from archive.models import ControllerRepresentative


@pytest.fixture(autouse=True)
def no_controller_representative(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("django_db_blocker")
    ControllerRepresentative.objects.all().delete()
