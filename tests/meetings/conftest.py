"""Fixtures shared by the meetings tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from meetings.models import AgendaAttachment


@pytest.fixture
def stored_files_removed(db) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Attachment files written by a test are removed with it: its rows roll back, the files
    on disk would not."""
    before = set(AgendaAttachment.objects.values_list("pk", flat=True))
    yield
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    for attachment in AgendaAttachment.objects.exclude(pk__in=before):
        (root / attachment.file.name).unlink(missing_ok=True)
