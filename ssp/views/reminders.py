"""A user's own reminder settings: when to be reminded of meetings, quiet hours, the digest."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from ssp.forms import ReminderSettingsForm
from ssp.notify.reminders import settings_of, settings_update
from ssp.views.forms import form_page


@login_required
def reminder_settings(request: HttpRequest) -> HttpResponse:
    prefs = settings_of([request.user.pk])[request.user.pk]
    form = ReminderSettingsForm(
        request.POST or None,
        initial={
            "meeting_offsets": prefs.meeting_offsets,
            "quiet_from": prefs.quiet_from,
            "quiet_until": prefs.quiet_until,
            "daily_digest": prefs.daily_digest,
        },
    )
    # The page is reached from "Mine møder", and reminders are mostly about meetings: it sits
    # under "Møder" in the breadcrumbs and the menu, although the settings are the core's.
    my_meetings = reverse("meetings:my_meetings")
    return form_page(
        request,
        form,
        trail=[(_("Møder"), my_meetings)],
        heading=_("Mine påmindelser"),
        intro=_(
            "Påmindelser kommer som e-mail. De nævner møder, organer og datoer, aldrig navne "
            "på unge."
        ),
        save=lambda data: settings_update(user=request.user, **data),
        done=_("Dine valg om påmindelser er gemt."),
        back=my_meetings,
    )
