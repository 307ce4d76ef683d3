"""Invitations, changes and cancellations by email, each with an iCalendar attachment that
Outlook and Google apply in place (stable UID, rising SEQUENCE, METHOD REQUEST or CANCEL).

The emails name the meeting, its body, time and place, never an agenda item: no young
person's name leaves the system this way. They go through the outbox (`ssp.notify.mail`),
sent after the transaction commits.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from forum.models import Person
from meetings import ical
from meetings.models import Meeting, MeetingSeries, Participant, SchoolYearPlan
from ssp.notify.mail import Attachment, email_send


def _recipients(participants: Sequence[Participant]) -> list[str]:
    return sorted({email for p in participants if (email := ical.participant_email(p))})


def _send(
    *,
    subject: str,
    template: str,
    context: dict,
    recipients: list[str],
    attachment: bytes,
    method: str,
) -> None:
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(template, {"site_name": settings.SSP_SITE_NAME, **context})
        subject = f"{settings.SSP_SITE_NAME}: {subject}"
    email_send(
        to=recipients,
        subject=subject,
        body=body,
        # The calendar part Outlook reads as an invitation, and the same as a file.
        alternatives=[(attachment.decode(), f'text/calendar; method={method}; charset="utf-8"')],
        attachments=[Attachment("invitation.ics", attachment, f"application/ics; method={method}")],
    )


def _context(meeting: Meeting) -> dict:
    return {"meeting": meeting, "url": f"{settings.SSP_BASE_URL}{meeting.get_absolute_url()}"}


def meeting_changed(meeting: Meeting, participants: Sequence[Participant]) -> None:
    """A new or changed meeting: the invitation (again), with the current details."""
    attachment = ical.calendar(
        [ical.meeting_event(meeting, participants=participants)], method="REQUEST"
    )
    subject = _("Invitation") if meeting.sequence == 0 else _("Mødet er ændret")
    _send(
        subject=f"{subject}: {meeting.title}",
        template="meetings/email/meeting_invitation.txt",
        context=_context(meeting),
        recipients=_recipients(participants),
        attachment=attachment,
        method="REQUEST",
    )


def meeting_cancelled(meeting: Meeting, participants: Sequence[Participant]) -> None:
    attachment = ical.calendar(
        [ical.meeting_event(meeting, participants=participants, cancelled=True)],
        method="CANCEL",
    )
    _send(
        subject=_("Mødet er aflyst: %(title)s") % {"title": meeting.title},
        template="meetings/email/meeting_cancelled.txt",
        context=_context(meeting),
        recipients=_recipients(participants),
        attachment=attachment,
        method="CANCEL",
    )


def series_planned(series: MeetingSeries, meetings: Sequence[Meeting]) -> None:
    """One email for a new series, with every occurrence as its own invitation (UID), so a
    later change to one occurrence updates exactly that one."""
    if not meetings:
        return
    participants = list(meetings[0].participants.select_related("person", "person__user"))
    attachment = ical.calendar(
        [ical.meeting_event(m, participants=participants) for m in meetings], method="PUBLISH"
    )
    _send(
        subject=_("Nye møder: %(title)s") % {"title": series.title},
        template="meetings/email/series_planned.txt",
        context={
            "series": series,
            "meetings": meetings,
            "url": f"{settings.SSP_BASE_URL}{meetings[0].get_absolute_url()}",
        },
        recipients=_recipients(participants),
        attachment=attachment,
        method="PUBLISH",
    )


def year_plan_changed(
    plan: SchoolYearPlan, *, changed: Sequence[Meeting], cancelled: Sequence[Meeting]
) -> None:
    """An edited year plan: one email per participant, not one per meeting. It names the
    team and the school year and links to the plan; its calendar file holds the participant's
    own meetings among those changed (same UID, higher SEQUENCE) and cancelled, so a
    calendar that imported them updates them in place."""
    events: dict[str, list] = {}
    for meeting, is_cancelled in [(m, False) for m in changed] + [(m, True) for m in cancelled]:
        participants = list(meeting.participants.select_related("person", "person__user"))
        event = ical.meeting_event(meeting, participants=participants, cancelled=is_cancelled)
        for email in _recipients(participants):
            events.setdefault(email, []).append(event)
    url = f"{settings.SSP_BASE_URL}{plan.get_absolute_url()}"
    context = {
        "plan": plan,
        "changed": len(changed),
        "cancelled": len(cancelled),
        "url": url,
    }
    subject = _("Årsplanen er ændret: %(body)s %(year)s") % {
        "body": plan.body.name,
        "year": plan.school_year_label,
    }
    for email, own in sorted(events.items()):
        _send(
            subject=subject,
            template="meetings/email/year_plan_changed.txt",
            context=context,
            recipients=[email],
            attachment=ical.calendar(own, method="PUBLISH"),
            method="PUBLISH",
        )


def _person_email(person: Person) -> str:
    """As `ical.participant_email`, for a member rather than a meeting's participant."""
    if person.user_id:
        return person.user.email if person.user.is_active else ""
    return person.email


def year_wheel_changed(plan: SchoolYearPlan, people: Sequence[Person]) -> None:
    """The year wheel's activities were moved or got another responsible: a link, nothing
    more (the activities live on the plan's page)."""
    recipients = sorted({email for person in people if (email := _person_email(person))})
    if not recipients:
        return
    context = {"plan": plan, "url": f"{settings.SSP_BASE_URL}{plan.get_absolute_url()}"}
    with translation.override(settings.LANGUAGE_CODE):
        subject = f"{settings.SSP_SITE_NAME}: " + _("Årshjulet er ændret: %(body)s %(year)s") % {
            "body": plan.body.name,
            "year": plan.school_year_label,
        }
        body = render_to_string(
            "meetings/email/year_wheel_changed.txt",
            {"site_name": settings.SSP_SITE_NAME, **context},
        )
    email_send(to=recipients, subject=subject, body=body)


def minutes_approved(meeting: Meeting, participants: Sequence[Participant]) -> None:
    """The minutes are approved: a link, no content (it may concern young people)."""
    recipients = _recipients(participants)
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = f"{settings.SSP_SITE_NAME}: " + _("Referat: %(title)s") % {"title": meeting.title}
        body = render_to_string(
            "meetings/email/minutes_approved.txt",
            {"site_name": settings.SSP_SITE_NAME, **_context(meeting)},
        )
    email_send(to=recipients, subject=subject, body=body)
