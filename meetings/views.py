"""Meeting pages: a user's meetings, a body's meetings, planning, the meeting itself with its
participants and agenda, and the iCalendar downloads and feeds. Also the front page ("my
page"), which lives here because it shows meetings on top of case work and the organisation;
the project URLconf maps the site root to it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import BaseFormSet, Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases import permissions as case_permissions
from cases import selectors as case_selectors
from forum import selectors as forum_selectors
from forum.models import Body, BodyKind
from forum.permissions import body_for_user_or_404, municipalities_visible_to
from meetings import ical, minutes, permissions, reminders, selectors, services
from meetings.forms import (
    ActivityFormSet,
    ActivityPlanApprovalForm,
    AgendaItemForm,
    AttachmentForm,
    AttendanceForm,
    CancelForm,
    CaseDecisionForm,
    DecisionForm,
    GuestForm,
    MeetingForm,
    MinutesForm,
    NewMeetingForm,
    ReminderSettingsForm,
    RsvpForm,
    SeriesForm,
    StandingItemForm,
    YearPlanForm,
)
from meetings.models import (
    Activity,
    ActivityPlanApproval,
    AgendaAttachment,
    AgendaItem,
    CalendarFeed,
    Meeting,
    StandingAgendaItem,
    Task,
    school_year_label,
    school_year_of,
)
from ssp.audit import audit_log
from ssp.models import AuditAction
from ssp.views.helpers import require, save_with_service

DASHBOARD_LIST_SIZE = 10
# How many school years back or ahead the plan pages go.
MAX_SCHOOL_YEARS_AWAY = 10


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """What needs the user's attention today."""
    user = request.user
    triages = case_permissions.municipalities_triaged_by(user).exists()
    context = {
        "affiliations": forum_selectors.affiliations_of(user),
        "memberships": forum_selectors.memberships_of(user),
        "upcoming_meetings": selectors.upcoming_meetings(user, limit=5),
        "case_counts": case_selectors.case_counts(user=user),
        "follow_ups": case_selectors.follow_ups_due(user=user)[:DASHBOARD_LIST_SIZE],
        "open_actions": case_selectors.my_open_actions(user=user)[:DASHBOARD_LIST_SIZE],
        "open_tasks": selectors.open_tasks(user)[:DASHBOARD_LIST_SIZE],
        "triage_queue": case_selectors.triage_queue(user=user)[:DASHBOARD_LIST_SIZE]
        if triages
        else None,
        "team_concerns": case_selectors.concerns_for_my_teams(user=user)[:DASHBOARD_LIST_SIZE],
        "can_log_concern": case_permissions.can_log_concern(user),
    }
    return render(request, "ssp/dashboard.html", context)


@login_required
def my_meetings(request: HttpRequest) -> HttpResponse:
    context = {
        "upcoming": selectors.upcoming_meetings(request.user),
        "past": selectors.past_meetings(request.user),
        "organised_bodies": permissions.bodies_organised_by(request.user).order_by("name"),
        "overseen_municipalities": permissions.municipalities_overseen_by(request.user),
    }
    return render(request, "meetings/my_meetings.html", context)


def _body_meetings_page(
    request: HttpRequest, body: Body, standing_form: StandingItemForm | None = None
) -> HttpResponse:
    can_organise = permissions.can_organise(request.user, body)
    context = {
        "body": body,
        "meetings": selectors.body_meetings(request.user, body),
        "can_organise": can_organise,
        "standing_items": body.standing_items.all(),
        "standing_form": (standing_form or StandingItemForm()) if can_organise else None,
        "show_year_plan": body.kind == BodyKind.SCHOOL_TEAM
        and permissions.can_see_year_plans(request.user, body),
    }
    status = 422 if standing_form is not None and standing_form.errors else 200
    return render(request, "meetings/body_meetings.html", context, status=status)


@login_required
def body_meetings(request: HttpRequest, body_id: int) -> HttpResponse:
    return _body_meetings_page(request, body_for_user_or_404(request.user, body_id))


@login_required
@require_POST
def standing_item_add(request: HttpRequest, body_id: int) -> HttpResponse:
    body = _organised_body(request, body_id)
    form = StandingItemForm(request.POST)
    saved = save_with_service(
        request, form, lambda data: services.standing_item_add(body=body, title=data["title"])
    )
    if saved is None:
        return _body_meetings_page(request, body, form)
    messages.success(request, _("Det faste punkt kommer på dagsordenen for nye møder."))
    return redirect("meetings:body_meetings", body.pk)


@login_required
@require_POST
def standing_item_remove(request: HttpRequest, body_id: int, item_id: int) -> HttpResponse:
    body = _organised_body(request, body_id)
    item = get_object_or_404(StandingAgendaItem, pk=item_id, body=body)
    services.standing_item_remove(item=item)
    messages.success(request, _("Det faste punkt er fjernet."))
    return redirect("meetings:body_meetings", body.pk)


def _form_page(
    request: HttpRequest,
    form: Form,
    *,
    heading: str,
    save: Callable[[dict], object],
    done: str,
    back: str,
    submit: str = "",
    intro: str = "",
) -> HttpResponse:
    """A form on its own page: saved through a service, or shown again with its errors."""
    result = save_with_service(request, form, save)
    if result is not None:
        messages.success(request, done)
        return redirect(result.get_absolute_url() if hasattr(result, "get_absolute_url") else back)
    context = {
        "form": form,
        "heading": heading,
        "back": back,
        "submit": submit or _("Gem"),
        "intro": intro,
    }
    return render(request, "meetings/form.html", context, status=422 if form.errors else 200)


@login_required
def meeting_create(request: HttpRequest, body_id: int) -> HttpResponse:
    body = _organised_body(request, body_id)
    form = NewMeetingForm(request.POST or None, body=body, initial={"title": body.name})
    return _form_page(
        request,
        form,
        heading=_("Planlæg møde i %(body)s") % {"body": body.name},
        save=lambda data: services.meeting_create(
            body=body,
            organiser=request.user,
            title=data["title"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            location=data["location"],
            online_url=data["online_url"],
            guests=data["guests"],
        ),
        done=_("Mødet er planlagt, og deltagerne har fået en invitation."),
        back=reverse("meetings:body_meetings", args=[body.pk]),
        submit=_("Planlæg og inviter"),
    )


@login_required
def series_create(request: HttpRequest, body_id: int) -> HttpResponse:
    body = _organised_body(request, body_id)
    form = SeriesForm(request.POST or None, initial={"title": body.name})
    back = reverse("meetings:body_meetings", args=[body.pk])

    def save(data: dict) -> Meeting:
        series = services.series_create(body=body, organiser=request.user, **data)
        return series.meetings.order_by("starts_at").first()

    return _form_page(
        request,
        form,
        heading=_("Fast mødeserie for %(body)s") % {"body": body.name},
        intro=_(
            "Møderne lægges ind som enkelte møder, som hver kan flyttes eller aflyses for sig. "
            "Danske helligdage springes over, medmindre du vælger andet."
        ),
        save=save,
        done=_("Mødeserien er planlagt, og deltagerne har fået møderne i en invitation."),
        back=back,
        submit=_("Planlæg serien"),
    )


def _open_for_changes(meeting: Meeting) -> bool:
    return not meeting.is_cancelled and not meeting.minutes_approved


def _meeting_page(request: HttpRequest, meeting: Meeting, **forms: Form) -> HttpResponse:
    user = request.user
    can_manage = permissions.can_manage_meeting(user, meeting)
    agenda = selectors.agenda(meeting, user)
    # A case on the agenda is case data read: logged like the case page itself.
    for item in agenda:
        if item.case is not None:
            audit_log(
                user=user,
                action=AuditAction.VIEW,
                obj=item.case,
                subject_id=item.case.young_person_id,
                purpose=_("Dagsorden: %(meeting)s") % {"meeting": meeting.title},
            )
    me = selectors.participant_of(meeting, user)
    open_for_changes = _open_for_changes(meeting)
    if me is not None and open_for_changes:
        forms.setdefault("rsvp_form", RsvpForm(initial={"rsvp": me.rsvp}))
    if can_manage and open_for_changes:
        forms.setdefault("guest_form", GuestForm(meeting=meeting))
        forms.setdefault(
            "attendance_form",
            AttendanceForm(
                meeting=meeting,
                initial={"present": [p for p in meeting.participants.all() if p.attended]},
            ),
        )
    context = {
        "meeting": meeting,
        "agenda": agenda,
        "participants": selectors.participants(meeting),
        "me": me,
        "can_manage": can_manage,
        "open_for_changes": open_for_changes,
        "minutes_open": can_manage and open_for_changes and meeting.starts_at <= timezone.now(),
        **forms,
    }
    status = 422 if any(form.errors for form in forms.values()) else 200
    return render(request, "meetings/meeting_detail.html", context, status=status)


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = permissions.meeting_for_user_or_404(request.user, pk)
    if request.htmx and request.GET.get("part") == "agenda":
        return _agenda_partial(request, meeting)
    return _meeting_page(request, meeting)


def _organised_body(request: HttpRequest, body_id: int) -> Body:
    """A body the user plans meetings for: 404 if they cannot see it, 403 if they see it but
    do not organise its meetings."""
    body = body_for_user_or_404(request.user, body_id)
    require(permissions.can_organise(request.user, body))
    return body


def _managed_meeting(request: HttpRequest, pk: int) -> Meeting:
    meeting = permissions.meeting_for_user_or_404(request.user, pk)
    require(permissions.can_manage_meeting(request.user, meeting))
    return meeting


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    form = MeetingForm(request.POST or None, initial=MeetingForm.initial_for(meeting))
    return _form_page(
        request,
        form,
        heading=_("Ret eller flyt mødet"),
        save=lambda data: services.meeting_update(
            meeting=meeting,
            title=data["title"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            location=data["location"],
            online_url=data["online_url"],
        ),
        done=_("Mødet er ændret, og deltagerne har fået besked."),
        back=meeting.get_absolute_url(),
    )


@login_required
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    return _form_page(
        request,
        CancelForm(request.POST or None),
        heading=_("Aflys mødet"),
        intro=_("Deltagerne får besked, og mødet fjernes fra deres kalender."),
        save=lambda data: services.meeting_cancel(meeting=meeting, reason=data["reason"]),
        done=_("Mødet er aflyst, og deltagerne har fået besked."),
        back=meeting.get_absolute_url(),
        submit=_("Aflys mødet"),
    )


def _meeting_post(
    request: HttpRequest,
    meeting: Meeting,
    *,
    form_name: str,
    form: Form,
    save: Callable[[dict], object],
    done: str,
) -> HttpResponse:
    """A small form posted from the meeting page: saved, or the page again with its errors."""
    if save_with_service(request, form, save) is None:
        return _meeting_page(request, meeting, **{form_name: form})
    messages.success(request, done)
    return redirect(meeting)


@login_required
@require_POST
def rsvp(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = permissions.meeting_for_user_or_404(request.user, pk)
    return _meeting_post(
        request,
        meeting,
        form_name="rsvp_form",
        form=RsvpForm(request.POST),
        save=lambda data: services.rsvp_set(
            meeting=meeting, user=request.user, answer=data["rsvp"]
        ),
        done=_("Dit svar er gemt."),
    )


@login_required
@require_POST
def guest_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    return _meeting_post(
        request,
        meeting,
        form_name="guest_form",
        form=GuestForm(request.POST, meeting=meeting),
        save=lambda data: services.guest_add(meeting=meeting, person=data["person"]),
        done=_("Gæsten er inviteret."),
    )


@login_required
@require_POST
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    return _meeting_post(
        request,
        meeting,
        form_name="attendance_form",
        form=AttendanceForm(request.POST, meeting=meeting),
        save=lambda data: services.attendance_record(
            meeting=meeting, present=[p.pk for p in data["present"]]
        ),
        done=_("Fremmødet er registreret."),
    )


@login_required
def agenda_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    form = AgendaItemForm(request.POST or None, meeting=meeting, user=request.user)
    return _form_page(
        request,
        form,
        heading=_("Nyt punkt på dagsordenen"),
        intro=_(
            "En sag kan kun sættes på, når du har bekræftet de tre betingelser for at dele "
            "oplysninger efter retsplejelovens §115. Deltagere uden adgang til sagen ser kun "
            "»Sag – begrænset adgang«."
        ),
        save=lambda data: services.agenda_item_add(
            meeting=meeting,
            by=request.user,
            title=data["title"],
            description=data["description"],
            case=data["case"],
            purpose=data["purpose"],
            criteria=form.criteria,
        ),
        done=_("Punktet er sat på dagsordenen."),
        back=meeting.get_absolute_url(),
    )


def _agenda_partial(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    can_manage = permissions.can_manage_meeting(request.user, meeting)
    open_for_changes = _open_for_changes(meeting)
    context = {
        "meeting": meeting,
        "agenda": selectors.agenda(meeting, request.user),
        "can_manage": can_manage,
        "open_for_changes": open_for_changes,
        "minutes_open": can_manage and open_for_changes and meeting.starts_at <= timezone.now(),
    }
    return render(request, "meetings/partials/agenda.html", context)


def _agenda_item(request: HttpRequest, pk: int, item_id: int) -> tuple[Meeting, AgendaItem]:
    meeting = _managed_meeting(request, pk)
    return meeting, get_object_or_404(AgendaItem, pk=item_id, meeting=meeting)


@login_required
@require_POST
def agenda_item_move(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    meeting, item = _agenda_item(request, pk, item_id)
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if offset is None:
        return HttpResponse(_("Ukendt retning."), status=400)
    _run_on_open_meeting(request, lambda: services.agenda_item_move(item=item, offset=offset))
    if request.htmx:
        return _agenda_partial(request, meeting)
    return redirect(meeting)


@login_required
@require_POST
def agenda_item_remove(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    meeting, item = _agenda_item(request, pk, item_id)
    if _run_on_open_meeting(request, lambda: services.agenda_item_remove(item=item)):
        messages.success(request, _("Punktet er fjernet fra dagsordenen."))
    return redirect(meeting)


def _run_on_open_meeting(request: HttpRequest, change: Callable[[], object]) -> bool:
    """Run a one-click change; a refusal (e.g. the meeting was cancelled) becomes a message."""
    try:
        change()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    return True


@login_required
@require_GET
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = permissions.meeting_for_user_or_404(request.user, pk)
    body = ical.calendar(
        [ical.meeting_event(meeting, participants=selectors.participants(meeting))],
        method="PUBLISH",
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="moede-{meeting.pk}.ics"'
    return response


@login_required
def reminder_settings(request: HttpRequest) -> HttpResponse:
    prefs = reminders.settings_of([request.user.pk])[request.user.pk]
    form = ReminderSettingsForm(
        request.POST or None,
        initial={
            "meeting_offsets": prefs.meeting_offsets,
            "quiet_from": prefs.quiet_from,
            "quiet_until": prefs.quiet_until,
            "daily_digest": prefs.daily_digest,
        },
    )
    return _form_page(
        request,
        form,
        heading=_("Mine påmindelser"),
        intro=_(
            "Påmindelser kommer som e-mail. De nævner møder, organer og datoer, aldrig navne "
            "på unge."
        ),
        save=lambda data: reminders.settings_update(user=request.user, **data),
        done=_("Dine valg om påmindelser er gemt."),
        back=reverse("meetings:my_meetings"),
    )


@login_required
def calendar_settings(request: HttpRequest) -> HttpResponse:
    """The user's secret feed: made, replaced or stopped here; the URL is shown once."""
    feed_url = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.feed_revoke(user=request.user)
            messages.success(request, _("Kalenderabonnementet er stoppet."))
            return redirect("meetings:calendar_settings")
        token = services.feed_create(user=request.user)
        feed_url = request.build_absolute_uri(reverse("meetings:calendar_feed", args=[token]))
    has_feed = CalendarFeed.objects.filter(user=request.user, revoked_at__isnull=True).exists()
    return render(
        request, "meetings/calendar_settings.html", {"feed_url": feed_url, "has_feed": has_feed}
    )


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A calendar subscription: no login, the secret token is the key. Invalid or revoked
    tokens answer 404, as does a deactivated user's."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=CalendarFeed.hash_token(token), revoked_at__isnull=True)
        .first()
    )
    if feed is None or not feed.user.is_active:
        raise Http404
    meetings = list(selectors.feed_meetings(feed.user))
    body = ical.calendar(
        [ical.meeting_event(meeting) for meeting in meetings],
        name=_("SSP-møder"),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response


# The school year ----------------------------------------------------------------------------


def _school_team_or_404(body: Body) -> Body:
    if body.kind != BodyKind.SCHOOL_TEAM:
        raise Http404
    return body


def _check_year(year: int) -> None:
    if abs(year - school_year_of(timezone.localdate())) > MAX_SCHOOL_YEARS_AWAY:
        raise Http404


def _school_year_param(request: HttpRequest, default: int) -> int:
    try:
        year = int(request.GET.get("aar", default))
    except ValueError:
        return default
    return year if abs(year - default) <= MAX_SCHOOL_YEARS_AWAY else default


@login_required
def year_plan(request: HttpRequest, body_id: int) -> HttpResponse:
    body = _school_team_or_404(body_for_user_or_404(request.user, body_id))
    if not permissions.can_see_year_plans(request.user, body):
        raise Http404
    current = school_year_of(timezone.localdate())
    year = _school_year_param(request, current)
    plan = selectors.year_plan(body, year)
    context = {
        "body": body,
        "school_year": year,
        "school_year_label": school_year_label(year),
        "previous_year": year - 1,
        "next_year": year + 1,
        "planning_meeting": services.planning_meeting_of(body, year),
        "plan": plan,
        "plan_meetings": selectors.plan_meetings(request.user, plan) if plan else [],
        "activities": plan.activities.select_related("responsible") if plan else [],
        "can_organise": permissions.can_organise(request.user, body),
        "september_open": timezone.localdate() <= date(year, services.PLANNING_MONTH, 30),
    }
    return render(request, "meetings/year_plan.html", context)


def _year_plan_url(body: Body, year: int) -> str:
    return f"{reverse('meetings:year_plan', args=[body.pk])}?aar={year}"


@login_required
def planning_meeting_create(request: HttpRequest, body_id: int, year: int) -> HttpResponse:
    body = _school_team_or_404(_organised_body(request, body_id))
    _check_year(year)
    september = date(year, services.PLANNING_MONTH, 1)
    form = MeetingForm(
        request.POST or None,
        initial={
            "title": _("Planlægningsmøde %(year)s") % {"year": school_year_label(year)},
            "date": max(september, timezone.localdate() + timedelta(days=1)),
        },
    )
    saved = save_with_service(
        request,
        form,
        lambda data: services.planning_meeting_schedule(
            body=body,
            organiser=request.user,
            title=data["title"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            location=data["location"],
            online_url=data["online_url"],
        ),
    )
    if saved is not None:
        messages.success(request, _("Planlægningsmødet er planlagt, og teamet er inviteret."))
        return redirect(_year_plan_url(body, year))
    context = {
        "body": body,
        "form": form,
        "school_year_label": school_year_label(year),
        "conflicts": services.member_conflicts(body, september, september.replace(day=30)),
        "back": _year_plan_url(body, year),
    }
    status = 422 if form.errors else 200
    return render(request, "meetings/planning_meeting_form.html", context, status=status)


@login_required
def year_plan_create(request: HttpRequest, body_id: int, year: int) -> HttpResponse:
    body = _school_team_or_404(_organised_body(request, body_id))
    _check_year(year)
    planning = services.planning_meeting_of(body, year)
    start = (
        timezone.localdate(planning.starts_at) if planning else services.school_year_bounds(year)[0]
    )
    form = YearPlanForm(
        request.POST or None,
        initial={
            "title": body.name,
            "first_date": start + timedelta(weeks=2),
            "last_date": date(year + 1, 6, 15),
        },
    )
    activities = ActivityFormSet(
        request.POST or None, form_kwargs={"body": body}, prefix="activities"
    )
    if request.method == "POST" and form.is_valid() and activities.is_valid():
        try:
            services.year_plan_create(
                body=body,
                by=request.user,
                school_year=year,
                activities=[
                    services.NewActivity(**row.cleaned_data)
                    for row in activities
                    if row.has_changed() and row.cleaned_data
                ],
                **form.cleaned_data,
            )
        except ValidationError as error:
            _split_plan_errors(error, form, activities)
        else:
            messages.success(request, _("Skoleårets plan er lagt, og teamet har fået møderne."))
            return redirect(_year_plan_url(body, year))
    context = {
        "body": body,
        "form": form,
        "activities": activities,
        "school_year_label": school_year_label(year),
        "planning_meeting": planning,
        "back": _year_plan_url(body, year),
    }
    has_errors = bool(form.errors or activities.total_error_count())
    return render(
        request, "meetings/year_plan_form.html", context, status=422 if has_errors else 200
    )


def _split_plan_errors(error: ValidationError, form: Form, activities: BaseFormSet) -> None:
    """Put the service's errors about activities on the formset, the rest on the form."""
    if not hasattr(error, "error_dict"):
        form.add_service_error(error)
        return
    for field, messages_ in error.error_dict.items():
        if field == "activities":
            activities.non_form_errors().extend(m for e in messages_ for m in e.messages)
        else:
            form.add_service_error(ValidationError({field: messages_}))


@login_required
@require_POST
def activity_done(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = get_object_or_404(Activity.objects.select_related("plan__body"), pk=activity_id)
    body = activity.plan.body
    if not permissions.can_see_year_plans(request.user, body):
        raise Http404
    services.activity_mark_done(activity=activity)
    messages.success(request, _("Aktiviteten er markeret som gennemført."))
    return redirect(_year_plan_url(body, activity.plan.school_year))


@login_required
def school_year_overview(request: HttpRequest, municipality_id: int) -> HttpResponse:
    """The SSP consultant's view of every school team: planning meeting and plan, or not."""
    municipality = get_object_or_404(
        permissions.municipalities_overseen_by(request.user), pk=municipality_id
    )
    year = _school_year_param(request, school_year_of(timezone.localdate()))
    context = {
        "municipality": municipality,
        "school_year": year,
        "school_year_label": school_year_label(year),
        "previous_year": year - 1,
        "next_year": year + 1,
        "rows": selectors.school_year_overview(municipality, year),
    }
    return render(request, "meetings/school_year_overview.html", context)


# Minutes, decisions and tasks ----------------------------------------------------------------


@login_required
def minutes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    items = [item for item in selectors.agenda(meeting, request.user) if not item.redacted]
    form = MinutesForm(request.POST or None, items=items)
    return _form_page(
        request,
        form,
        heading=_("Referat: %(title)s") % {"title": meeting.title},
        intro=_(
            "Skriv referatet punkt for punkt. Tom linje giver nyt afsnit. Referatet kan rettes, "
            "indtil det er godkendt."
        ),
        save=lambda data: services.minutes_write(meeting=meeting, texts=form.texts()),
        done=_("Referatet er gemt."),
        back=meeting.get_absolute_url(),
    )


@login_required
@require_POST
def minutes_approve(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    if _run_on_open_meeting(
        request, lambda: services.minutes_approve(meeting=meeting, by=request.user)
    ):
        messages.success(
            request, _("Referatet er godkendt og låst, og deltagerne har fået besked.")
        )
    return redirect(meeting)


@login_required
def decision_add(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    meeting, item = _agenda_item(request, pk, item_id)
    visible = {i.pk: i for i in selectors.agenda(meeting, request.user)}
    if visible[item.pk].redacted:
        raise Http404
    form_class = CaseDecisionForm if item.case_id else DecisionForm
    form = form_class(request.POST or None, meeting=meeting)

    def save(data: dict) -> Meeting:
        services.decision_add(
            item=item,
            by=request.user,
            text=data["text"],
            task_title=data["task_title"],
            responsible=data["responsible"],
            due_on=data["due_on"],
            share_with_body=data.get("share_with_body"),
            share_with_user=data.get("share_with_user"),
            share_purpose=data.get("share_purpose", ""),
            criteria=form.criteria if item.case_id else None,
        )
        return meeting

    return _form_page(
        request,
        form,
        heading=_("Beslutning under »%(title)s«") % {"title": item.title},
        save=save,
        done=_("Beslutningen er skrevet i referatet."),
        back=meeting.get_absolute_url(),
    )


@login_required
@require_POST
def task_done(request: HttpRequest, task_id: int) -> HttpResponse:
    task = get_object_or_404(
        Task.objects.select_related("decision__item__meeting", "responsible"), pk=task_id
    )
    meeting = task.decision.item.meeting
    # The responsible person ticks it off, or whoever manages the meeting.
    is_responsible = task.responsible is not None and task.responsible.user_id == request.user.pk
    if not is_responsible:
        meeting = _managed_meeting(request, meeting.pk)
    services.task_mark_done(task=task)
    messages.success(request, _("Opgaven er markeret som løst."))
    if request.POST.get("next") == "dashboard":
        return redirect("dashboard")
    return redirect(meeting)


@login_required
@require_GET
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = permissions.meeting_for_user_or_404(request.user, pk)
    response = HttpResponse(
        minutes.minutes_pdf(meeting, request.user), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="referat-{meeting.pk}.pdf"'
    return response


@login_required
def activity_plan(request: HttpRequest, municipality_id: int) -> HttpResponse:
    """The municipality's teaching and activity plan, built from the school teams' plans,
    and its approval by the SSP-Følgegruppe."""
    municipality = get_object_or_404(municipalities_visible_to(request.user), pk=municipality_id)
    if not permissions.can_see_activity_plan(request.user, municipality):
        raise Http404
    year = _school_year_param(request, school_year_of(timezone.localdate()))
    approval = (
        ActivityPlanApproval.objects.filter(municipality=municipality, school_year=year)
        .select_related("meeting", "approved_by")
        .first()
    )
    may_approve = permissions.can_approve_activity_plan(request.user, municipality)
    can_approve = approval is None and may_approve
    form = ActivityPlanApprovalForm(
        request.POST or None,
        meetings=selectors.foelgegruppe_meetings(municipality, year),
    )
    if request.method == "POST":
        require(may_approve)
        if approval is not None:
            # A second click on the approval button: nothing more to do.
            messages.info(request, _("Planen er allerede godkendt."))
            return redirect(f"{request.path}?aar={year}")
        saved = save_with_service(
            request,
            form,
            lambda data: services.activity_plan_approve(
                municipality=municipality,
                school_year=year,
                meeting=data["meeting"],
                by=request.user,
                note=data["note"],
            ),
        )
        if saved is not None:
            messages.success(request, _("Undervisnings- og aktivitetsplanen er godkendt."))
            return redirect(f"{request.path}?aar={year}")
    context = {
        "municipality": municipality,
        "school_year": year,
        "school_year_label": school_year_label(year),
        "previous_year": year - 1,
        "next_year": year + 1,
        "schools": selectors.municipal_activity_plan(municipality, year),
        "approval": approval,
        "form": form if can_approve else None,
    }
    status = 422 if form.errors else 200
    return render(request, "meetings/activity_plan.html", context, status=status)


# Agenda attachments --------------------------------------------------------------------------


def _visible_item(request: HttpRequest, meeting: Meeting, item_id: int) -> AgendaItem:
    """An agenda item the user may read: 404 for a case item redacted for them."""
    for item in selectors.agenda(meeting, request.user):
        if item.pk == item_id and not item.redacted:
            return item
    raise Http404


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    item = _visible_item(request, meeting, item_id)
    form = AttachmentForm(request.POST, request.FILES)
    if save_with_service(
        request,
        form,
        lambda data: services.attachment_add(item=item, by=request.user, upload=data["file"]),
    ):
        messages.success(request, _("Filen er vedhæftet punktet."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(meeting)


def _attachment(request: HttpRequest, meeting: Meeting, attachment_id: int) -> AgendaAttachment:
    attachment = get_object_or_404(
        AgendaAttachment.objects.select_related("item"), pk=attachment_id, item__meeting=meeting
    )
    _visible_item(request, meeting, attachment.item_id)
    return attachment


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    meeting = permissions.meeting_for_user_or_404(request.user, pk)
    attachment = _attachment(request, meeting, attachment_id)
    if attachment.item.case_id is not None:
        audit_log(
            user=request.user,
            action=AuditAction.VIEW,
            obj=attachment.item.case,
            subject_id=attachment.item.case.young_person_id,
            purpose=_("Bilag til dagsorden: %(meeting)s") % {"meeting": meeting.title},
        )
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    attachment = _attachment(request, meeting, attachment_id)
    if _run_on_open_meeting(request, lambda: services.attachment_remove(attachment=attachment)):
        messages.success(request, _("Bilaget er fjernet."))
    return redirect(meeting)
