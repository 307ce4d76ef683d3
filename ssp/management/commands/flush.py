"""`manage.py flush` as the owner role: emptying tables (TRUNCATE) is the owner's right alone.

The runtime role may not TRUNCATE (ssp/db_roles.py); the test suite's transactional tests
empty the database with this command after each test.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush

from ssp.db_roles import connected_as_owner


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        with connected_as_owner(options["database"]):
            super().handle(**options)
