"""Meeting pages: a user's meetings, a body's meetings, planning, the meeting itself with its
participants and agenda, and the iCalendar downloads and feeds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from forum.models import Body, BodyKind
from forum.permissions import body_for_user_or_404
from meetings import hooks, ical, permissions, selectors, services
from meetings.forms import (
    AgendaItemForm,
    AttendanceForm,
    CancelForm,
    GuestForm,
    MeetingForm,
    NewMeetingForm,
    RsvpForm,
    SeriesForm,
    StandingItemForm,
)
from meetings.models import (
    CalendarFeed,
    Meeting,
    StandingAgendaItem,
)
from meetings.views.common import (
    agenda_item,
    log_case_items,
    managed_meeting,
    meetings_trail,
    organised_body,
    run_on_open_meeting,
)
from ssp.audit import audit_shown
from ssp.models import User
from ssp.navigation import crumbs
from ssp.pagination import keyset_list_page, keyset_page
from ssp.views.forms import form_page
from ssp.views.helpers import save_with_service

MEETING_PAGE_SIZE = 25


@login_required
def my_meetings(request: HttpRequest) -> HttpResponse:
    # The upcoming meetings a page at a time, soonest first ("Næste" carries the last shown):
    # a consultant invited to every meeting of a large municipality pays for one page.
    people = selectors.people_of(request.user)
    unfolded = request.GET.get("organer", "")
    unfolded = unfolded if unfolded in KIND_HEADINGS else ""
    upcoming = keyset_list_page(
        request,
        selectors.upcoming_parts(request.user, people),
        order=selectors.UPCOMING_ORDER,
        per_page=MEETING_PAGE_SIZE,
        count=False,
    )
    # The upcoming page's meetings and the ten latest, read in one query.
    upcoming.object_list, past = selectors.invitation_rows(
        people, upcoming.object_list, selectors.past_meeting_ids(request.user, people=people)
    )
    context = {
        "upcoming": upcoming,
        "past": past,
        "organised_bodies": _body_meetings_links(request.user, unfold=unfolded),
        "unfolded": unfolded,
        "overseen_municipalities": permissions.municipalities_overseen_by(request.user),
    }
    return render(request, "meetings/my_meetings.html", context)


# "Planlæg møder" groups the bodies by kind, in the order of the organisation's tree.
KIND_HEADINGS = {
    BodyKind.KREDSRAAD: gettext_lazy("Kredsråd"),
    BodyKind.LOKALRAAD: gettext_lazy("Lokalråd"),
    BodyKind.STEERING_GROUP: gettext_lazy("Styregrupper"),
    BodyKind.SSP_UDVALG: gettext_lazy("SSP-Udvalg"),
    BodyKind.FOELGEGRUPPE: gettext_lazy("SSP-Følgegrupper"),
    BodyKind.SSP_FORUM: gettext_lazy("SSP-Forum"),
    BodyKind.INFOHUS: gettext_lazy("Infohus"),
    BodyKind.NETWORK: gettext_lazy("Netværksgrupper"),
    BodyKind.WORKING_GROUP: gettext_lazy("Arbejdsgrupper"),
    BodyKind.SCHOOL_TEAM: gettext_lazy("Skolernes SSP-teams"),
    BodyKind.GROUP_115: gettext_lazy("§115-grupper"),
    BodyKind.AD_HOC: gettext_lazy("Ad hoc-grupper"),
}
# A kind with more bodies than this is folded away, so the page stays readable for a
# consultant who organises every body of the municipality (hundreds of ad-hoc groups).
FOLD_BODIES_OVER = 10


# A folded kind lists its first bodies by name; past that, "Se alle" opens the kind on its
# own (`?organer=<kind>`), so the page does not render every ad-hoc group of a municipality
# (one per case: 5,000 links for a consultant of 100,000 cases) on every visit.
FOLDED_BODIES_SHOWN = 50


@dataclass(frozen=True)
class BodyGroup:
    heading: str
    links: list[tuple[str, str]]  # (address of the body's meetings page, name)
    kind: str = ""
    more: bool = False  # more bodies of the kind than `links` holds

    @property
    def folded(self) -> bool:
        return len(self.links) > FOLD_BODIES_OVER

    @property
    def items(self) -> SafeString:
        """The links as list items: a consultant organises every body of the municipality
        (500 ad-hoc groups at scale), and a template loop cost 15 µs a link."""
        return format_html_join("", '<li class="mb-2"><a href="{}">{}</a></li>', self.links)


# A body id no body has, to cut the address of a body's meetings page around.
_SOME_BODY = 987654321


def _body_meetings_links(user: User, *, unfold: str = "") -> list[BodyGroup]:
    """The bodies whose meetings the user plans, by kind, then name: at most
    `FOLDED_BODIES_SHOWN` of a kind, or, with `unfold` (a kind), every body of that kind and no
    other.

    Two columns and the kind per body instead of a model instance and a `{% url %}` tag each;
    the address is reversed once and the body's id put into it.
    """
    if unfold in KIND_HEADINGS:
        rows = list(
            permissions.bodies_organised_by(user)
            .filter(kind=unfold)
            .order_by("name")
            .values_list("pk", "name", "kind")
        )
        cap = None
    else:
        # The first bodies of each kind by name, numbered within the kind by the database;
        # the ad-hoc groups (one per case) by parts off their index, cut at the same number,
        # so the list costs the same for 500 groups and for 5,000.
        rows = list(
            permissions.bodies_organised_by(user, but=BodyKind.AD_HOC)
            .annotate(place=Window(RowNumber(), partition_by=F("kind"), order_by=F("name").asc()))
            .filter(place__lte=FOLDED_BODIES_SHOWN + 1)
            .order_by("name")
            .values_list("pk", "name", "kind")
        )
        ad_hoc = keyset_page(
            permissions.ad_hoc_groups_organised_by_parts(user),
            order=("name", "id"),
            per_page=FOLDED_BODIES_SHOWN + 1,
        )
        rows += [(pk, name, BodyKind.AD_HOC) for name, pk in ad_hoc.keys]
        cap = FOLDED_BODIES_SHOWN
    before, after = reverse("meetings:body_meetings", args=[_SOME_BODY]).split(str(_SOME_BODY))
    by_kind: dict[str, list[tuple[str, str]]] = {kind: [] for kind in KIND_HEADINGS}
    for pk, name, kind in rows:
        by_kind[kind].append((f"{before}{pk}{after}", name))
    return [
        BodyGroup(
            str(KIND_HEADINGS[kind]),
            links[:cap] if cap else links,
            kind=kind,
            more=cap is not None and len(links) > cap,
        )
        for kind, links in by_kind.items()
        if links
    ]


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
        "breadcrumbs": crumbs(
            *meetings_trail((body.name, reverse("forum:body_detail", args=[body.pk]))), _("Møder")
        ),
    }
    status = 422 if standing_form is not None and standing_form.errors else 200
    return render(request, "meetings/body_meetings.html", context, status=status)


@login_required
def body_meetings(request: HttpRequest, body_id: int) -> HttpResponse:
    return _body_meetings_page(request, body_for_user_or_404(request.user, body_id))


@login_required
@require_POST
def standing_item_add(request: HttpRequest, body_id: int) -> HttpResponse:
    body = organised_body(request, body_id)
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
    body = organised_body(request, body_id)
    item = get_object_or_404(StandingAgendaItem, pk=item_id, body=body)
    services.standing_item_remove(item=item)
    messages.success(request, _("Det faste punkt er fjernet."))
    return redirect("meetings:body_meetings", body.pk)


@login_required
def meeting_create(request: HttpRequest, body_id: int) -> HttpResponse:
    body = organised_body(request, body_id)
    form = NewMeetingForm(request.POST or None, body=body, initial={"title": body.name})
    return form_page(
        request,
        form,
        trail=meetings_trail(),
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
    body = organised_body(request, body_id)
    form = SeriesForm(request.POST or None, initial={"title": body.name})
    back = reverse("meetings:body_meetings", args=[body.pk])

    def save(data: dict) -> Meeting:
        series = services.series_create(body=body, organiser=request.user, **data)
        return series.meetings.order_by("starts_at").first()

    return form_page(
        request,
        form,
        trail=meetings_trail(),
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
    # A case on the agenda is case data read.
    log_case_items(request, meeting, agenda)
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
        "breadcrumbs": crumbs(
            *meetings_trail(
                (meeting.body.name, reverse("meetings:body_meetings", args=[meeting.body_id]))
            ),
            meeting.title,
        ),
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


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = managed_meeting(request, pk)
    form = MeetingForm(request.POST or None, initial=MeetingForm.initial_for(meeting))
    return form_page(
        request,
        form,
        trail=meetings_trail(),
        heading=_("Ret eller flyt mødet"),
        save=lambda data: services.meeting_update(
            meeting=meeting,
            title=data["title"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            location=data["location"],
            online_url=data["online_url"],
            by=request.user,
        ),
        done=_("Mødet er ændret, og deltagerne har fået besked."),
        back=meeting.get_absolute_url(),
    )


@login_required
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = managed_meeting(request, pk)
    return form_page(
        request,
        CancelForm(request.POST or None),
        trail=meetings_trail(),
        heading=_("Aflys mødet"),
        intro=_("Deltagerne får besked, og mødet fjernes fra deres kalender."),
        save=lambda data: services.meeting_cancel(
            meeting=meeting, reason=data["reason"], by=request.user
        ),
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
    meeting = managed_meeting(request, pk)
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
    meeting = managed_meeting(request, pk)
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
    meeting = managed_meeting(request, pk)
    form = AgendaItemForm(request.POST or None, meeting=meeting, user=request.user)
    response = form_page(
        request,
        form,
        trail=meetings_trail(),
        heading=_("Nyt punkt på dagsordenen"),
        intro=_(
            "En sag kan kun sættes på, når du har bekræftet de tre betingelser for at dele "
            "oplysninger efter retsplejelovens §115. Organets medlemmer får da adgang til sagen "
            "indtil %(days)s dage efter mødet; gæster og andre uden adgang ser kun »Sag – "
            "begrænset adgang«."
        )
        % {"days": settings.AGENDA_BASIS_DAYS},
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
    if response.status_code != 302:
        # The form offers the cases the user may put on, each by the young person's name.
        audit_shown(
            user=request.user,
            obj=meeting,
            shown=form.fields["case"].queryset.values_list("municipality_id", "young_person_id"),
            purpose=_("Sager at sætte på dagsordenen"),
        )
    return response


def _agenda_partial(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    can_manage = permissions.can_manage_meeting(request.user, meeting)
    open_for_changes = _open_for_changes(meeting)
    agenda = selectors.agenda(meeting, request.user)
    log_case_items(request, meeting, agenda)
    context = {
        "meeting": meeting,
        "agenda": agenda,
        "can_manage": can_manage,
        "open_for_changes": open_for_changes,
        "minutes_open": can_manage and open_for_changes and meeting.starts_at <= timezone.now(),
        "breadcrumbs": crumbs(
            *meetings_trail(
                (meeting.body.name, reverse("meetings:body_meetings", args=[meeting.body_id]))
            ),
            meeting.title,
        ),
    }
    return render(request, "meetings/partials/agenda.html", context)


@login_required
@require_POST
def agenda_item_move(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    meeting, item = agenda_item(request, pk, item_id)
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if offset is None:
        return HttpResponse(_("Ukendt retning."), status=400)
    run_on_open_meeting(request, lambda: services.agenda_item_move(item=item, offset=offset))
    if request.htmx:
        return _agenda_partial(request, meeting)
    return redirect(meeting)


@login_required
@require_POST
def agenda_item_remove(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    meeting, item = agenda_item(request, pk, item_id)
    if run_on_open_meeting(
        request, lambda: services.agenda_item_remove(item=item, by=request.user)
    ):
        messages.success(request, _("Punktet er fjernet fra dagsordenen."))
    return redirect(meeting)


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
    now = timezone.now()
    # The year wheel's activities and other apps' events (`meetings.hooks`).
    others = hooks.calendar_events(
        feed.user, now - selectors.FEED_PAST, now + selectors.FEED_FUTURE
    )
    body = ical.calendar(
        [*(ical.meeting_event(meeting) for meeting in meetings), *others],
        name=_("SSP-møder"),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response
