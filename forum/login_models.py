"""A login held back: a person added to the directory (by an import) who is to have a login
with the roles given, but whose invitation has not gone out yet.

An import of a few hundred people must not mail them the moment the administrator confirms:
the administrator checks the directory first, then sends the invitations when they say so
(`forum.logins`). Until then the person has no account, no affiliation and no roles; the row
only says what they will be given.

Sending is in two steps so that the request does the same work whatever the address (a new
account takes more writes than an invitation to an existing one, and the difference would tell
an administrator that the address has an account elsewhere): the request checks the row and
marks it `queued_at`; a Celery task (`forum.tasks.deliver_held_login`) gives the login and
deletes the row in one transaction. A row the task cannot send goes back to waiting with the
reason in `refusal`. Kept in its own module (imported by `forum.models`) so the
organisation's models stay short.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class HeldLogin(models.Model):
    """The login `person` is to get, with these municipal roles, once invited."""

    person = models.OneToOneField(
        "forum.Person", on_delete=models.CASCADE, related_name="held_login"
    )
    is_ssp_consultant = models.BooleanField(_("SSP-konsulent"), default=False)
    is_administrator = models.BooleanField(_("administrator"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    queued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    refusal = models.TextField(blank=True)

    class Meta:
        verbose_name = _("login, der venter på invitation")
        verbose_name_plural = _("logins, der venter på invitation")
        ordering = ("created_at", "pk")
        indexes = [models.Index(fields=("queued_at",), name="forum_heldlogin_queued")]

    def __str__(self) -> str:
        return str(self.person)
