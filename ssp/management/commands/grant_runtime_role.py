"""`manage.py grant_runtime_role`: (re)apply the runtime role's privileges without migrating.

`migrate` does this after every run; this command is for after a restore, or to repair grants
someone changed by hand. It connects as the owner (DATABASE_MIGRATE_URL) and prints what the
runtime role could still do that it should not.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from ssp.db_roles import (
    connected_as_owner,
    grant_runtime_privileges,
    runtime_role_problems,
    split_roles,
)


class Command(BaseCommand):
    help = "Grant the runtime database role what the app needs and revoke anything more."

    def handle(self, *args: Any, **options: Any) -> None:
        if not split_roles():
            raise CommandError(
                "DATABASE_MIGRATE_URL does not name a role of its own: the app runs as the "
                "owner, so there is no runtime role to grant to (see docs/security.md)."
            )
        connection = connections["default"]
        with connected_as_owner():
            statements = grant_runtime_privileges(
                connection=connection, runtime=settings.DATABASE_RUNTIME_ROLE
            )
        if options["verbosity"] >= 2:
            for statement in statements:
                self.stdout.write(statement)
        problems = runtime_role_problems(connection)
        if problems:
            raise CommandError(" ".join(problems))
        self.stdout.write(
            self.style.SUCCESS(
                f'The runtime role "{settings.DATABASE_RUNTIME_ROLE}" has exactly its privileges.'
            )
        )
