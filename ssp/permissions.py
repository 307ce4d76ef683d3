"""Who runs the installation: the platform operators (Django superusers).

They manage user accounts in Django's admin and see every municipality's organisation there.
Being an operator never grants case content: `cases.permissions` ignores superuser status.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from ssp.models import User


def is_platform_operator(user: User | AnonymousUser) -> bool:
    return user.is_superuser
