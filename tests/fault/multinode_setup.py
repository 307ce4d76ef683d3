"""Data for `make multinode`, run inside the throw-away database through `manage.py shell`
(tests/fault/multinode.py): an ActionCard draft ready to publish and its administrator, an
agenda item the consultant may attach files to, and batches of due reminders."""

from __future__ import annotations

import base64
import json
import sys
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _publishable_drafts(count: int) -> tuple[str, list[int], list[str]]:
    """Small municipalities with a forum of one actor and a draft each, by one administrator
    who signs in like the demo logins (password "demo", the demo authenticator)."""
    from actioncard import services
    from forum.models import BodyKind
    from ssp.models import Sector
    from tests.factories import (
        AffiliationFactory,
        BodyFactory,
        MembershipFactory,
        MunicipalityFactory,
    )

    admin = None
    drafts = []
    for number in range(count):
        municipality = MunicipalityFactory(
            name=f"Flerknudekommune {number}",
            code=f"97{number}",
            police_district__name=f"Flerknudekredsen {number}",
        )
        council = BodyFactory(
            kind=BodyKind.LOKALRAAD, name=f"Lokalråd {number}", municipality=municipality
        )
        forum = BodyFactory(
            kind=BodyKind.SSP_FORUM,
            name=f"SSP-Forum {number}",
            municipality=municipality,
            parent=council,
        )
        MembershipFactory(
            body=forum,
            role="coordinator",
            person__full_name="Demo-Åse Knudsen",
            person__sector=Sector.SSP_SECRETARIAT,
            person__phone="+45 11 22 33 44",
        )
        if admin is None:
            admin = AffiliationFactory(
                municipality=municipality, is_administrator=True,
                user__email="flerknude@demo.ssp", user__full_name="Demo-Flerknude Redaktør",
            ).user  # fmt: skip
        else:
            AffiliationFactory(municipality=municipality, is_administrator=True, user=admin)
        drafts.append(services.edition_start(municipality=municipality, year=2027, by=admin).pk)
    admin.password = make_password("demo")
    admin.save(update_fields=["password"])
    TOTPDevice.objects.create(
        user=admin, name="Demo", key=base64.b32decode(DEMO_TOTP_SECRET).hex(), confirmed=True
    )
    return admin.email, drafts, [f"97{number}" for number in range(count)]


def _attachable_item() -> tuple[int, int]:
    """A planned meeting's agenda item (not about a case) the consultant may attach files to."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from meetings import services
    from meetings.models import AgendaItem
    from ssp.models import User

    consultant = User.objects.get(email="konsulent@demo.ssp")
    items = AgendaItem.objects.filter(
        case__isnull=True, meeting__starts_at__gt=timezone.now(), meeting__status="planned"
    ).order_by("meeting__starts_at", "pk")
    for item in items[:50]:
        try:
            probe = services.attachment_add(
                item=item,
                by=consultant,
                upload=SimpleUploadedFile("probe.pdf", b"%PDF-1.4\n%%EOF\n"),
            )
        except Exception:  # noqa: S112 - try the next item
            continue
        services.attachment_remove(attachment=probe, by=consultant)
        return item.meeting_id, item.pk
    raise RuntimeError("no agenda item the consultant may attach files to")


def reminders(batch: str, count: int) -> list[int]:
    """`count` meeting reminders due now, to demo users, about a planned meeting."""
    from meetings.models import Meeting
    from ssp.models import Reminder, ReminderSettings, User

    meeting = Meeting.objects.filter(status="planned", starts_at__gt=timezone.now()).first()
    digest = ReminderSettings.objects.filter(daily_digest=True).values("user_id")
    # One email per reminder: nobody who reads a daily digest.
    users = list(
        User.objects.filter(email__endswith="@demo.ssp", is_active=True)
        .exclude(pk__in=digest)
        .order_by("pk")
    )
    now = timezone.now()
    rows = [
        Reminder(
            kind="meeting",
            object_type="meetings.meeting",
            object_id=meeting.pk,
            recipient=users[number % len(users)],
            due_at=meeting.starts_at + timedelta(seconds=number + (0 if batch == "a" else 10_000)),
            send_at=now,
        )
        for number in range(count)
    ]
    return [row.pk for row in Reminder.objects.bulk_create(rows)]


def setup() -> None:
    from ssp.models import OutgoingEmail, Reminder

    # Only this run's reminders and emails are counted: the demo's own are set aside.
    Reminder.objects.exclude(status="sent").update(status="cancelled")
    OutgoingEmail.objects.all().delete()
    admin, drafts, codes = _publishable_drafts(2)
    meeting, item = _attachable_item()
    sys.stdout.write(
        json.dumps(
            {"admin": admin, "drafts": drafts, "codes": codes, "meeting": meeting, "item": item}
        )
        + "\n"
    )


def reminder_figures() -> None:
    """Per reminder: its status; and the outbox rows of reminder emails (one per email)."""
    from ssp.models import OutgoingEmail, Reminder

    statuses: dict[str, int] = {}
    for status in Reminder.objects.values_list("status", flat=True):
        statuses[status] = statuses.get(status, 0) + 1
    emails = OutgoingEmail.objects.filter(subject__endswith="Mødepåmindelse")
    sys.stdout.write(
        json.dumps(
            {
                "statuses": statuses,
                "emails": emails.count(),
                "emails_sent": emails.filter(status="sent").count(),
            }
        )
        + "\n"
    )
