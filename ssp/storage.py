"""Files that must never be served by the web server: agenda attachments, ActionCard PDFs.

They live under PRIVATE_MEDIA_ROOT, outside the static and media roots, and reach a browser
only through a view that checks permissions (or, for a published ActionCard, its status).
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_storage() -> FileSystemStorage:
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)
