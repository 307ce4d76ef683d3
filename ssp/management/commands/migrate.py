"""`manage.py migrate` as the owner role, then the runtime role's grants (ssp/db_roles.py).

Django's own command does the migrating; this one only logs in as DATABASE_MIGRATE_URL's role
for it (tables are created and altered by their owner) and afterwards grants the runtime role
what the app needs, so a new table is usable at once and nothing more is. With one role for both
(no DATABASE_MIGRATE_URL, or the same role in both) it is Django's command unchanged.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.commands import migrate
from django.db import connections

from ssp.db_roles import connected_as_owner, grant_runtime_privileges, split_roles


class Command(migrate.Command):
    help = migrate.Command.help + " Runs as the owner role and then grants the runtime role."

    def handle(self, *args: Any, **options: Any) -> None:
        alias = options["database"]
        if alias != "default" or not split_roles():
            super().handle(*args, **options)
            return
        with connected_as_owner(alias):
            super().handle(*args, **options)
            statements = grant_runtime_privileges(
                connection=connections[alias], runtime=settings.DATABASE_RUNTIME_ROLE
            )
        if options["verbosity"] >= 2:
            for statement in statements:
                self.stdout.write(f"  {statement}")
        if options["verbosity"] >= 1:
            self.stdout.write(
                f'Granted the runtime role "{settings.DATABASE_RUNTIME_ROLE}" its privileges.'
            )
