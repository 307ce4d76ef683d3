from django.urls import path

from meetings.views import meetings as views
from meetings.views import minutes as minutes_views
from meetings.views import registration as registration_views
from meetings.views import school_year as school_year_views
from meetings.views import year_plan_edit as year_plan_edit_views

app_name = "meetings"

urlpatterns = [
    path("moeder/", views.my_meetings, name="my_meetings"),
    path("moeder/organ/<int:body_id>/", views.body_meetings, name="body_meetings"),
    path(
        "moeder/organ/<int:body_id>/faste-punkter/",
        views.standing_item_add,
        name="standing_item_add",
    ),
    path(
        "moeder/organ/<int:body_id>/faste-punkter/<int:item_id>/fjern/",
        views.standing_item_remove,
        name="standing_item_remove",
    ),
    path("moeder/organ/<int:body_id>/nyt/", views.meeting_create, name="meeting_create"),
    path("moeder/organ/<int:body_id>/serie/", views.series_create, name="series_create"),
    path("moeder/organ/<int:body_id>/aarsplan/", school_year_views.year_plan, name="year_plan"),
    path(
        "moeder/organ/<int:body_id>/aarsplan/<int:year>/planlaegningsmoede/",
        school_year_views.planning_meeting_create,
        name="planning_meeting_create",
    ),
    path(
        "moeder/organ/<int:body_id>/aarsplan/<int:year>/ny/",
        school_year_views.year_plan_create,
        name="year_plan_create",
    ),
    path(
        "moeder/organ/<int:body_id>/aarsplan/<int:year>/ret/",
        year_plan_edit_views.year_plan_edit,
        name="year_plan_edit",
    ),
    path(
        "moeder/skoleaar/<int:municipality_id>/",
        school_year_views.school_year_overview,
        name="school_year_overview",
    ),
    path("moeder/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("moeder/<int:pk>/rediger/", views.meeting_edit, name="meeting_edit"),
    path("moeder/<int:pk>/aflys/", views.meeting_cancel, name="meeting_cancel"),
    path("moeder/<int:pk>/svar/", views.rsvp, name="rsvp"),
    path("moeder/<int:pk>/gaest/", views.guest_add, name="guest_add"),
    path("moeder/<int:pk>/fremmoede/", views.attendance, name="attendance"),
    path("moeder/<int:pk>/dagsorden/", views.agenda_item_add, name="agenda_item_add"),
    path(
        "moeder/<int:pk>/dagsorden/<int:item_id>/flyt/",
        views.agenda_item_move,
        name="agenda_item_move",
    ),
    path(
        "moeder/<int:pk>/dagsorden/<int:item_id>/fjern/",
        views.agenda_item_remove,
        name="agenda_item_remove",
    ),
    path("moeder/<int:pk>/moede.ics", views.meeting_ics, name="meeting_ics"),
    path("moeder/<int:pk>/referat/", minutes_views.minutes_edit, name="minutes_edit"),
    path("moeder/<int:pk>/referat/godkend/", minutes_views.minutes_approve, name="minutes_approve"),
    path("moeder/<int:pk>/referat.pdf", minutes_views.minutes_pdf, name="minutes_pdf"),
    path(
        "moeder/<int:pk>/dagsorden/<int:item_id>/beslutning/",
        minutes_views.decision_add,
        name="decision_add",
    ),
    path(
        "moeder/<int:pk>/dagsorden/<int:item_id>/bilag/",
        minutes_views.attachment_add,
        name="attachment_add",
    ),
    path(
        "moeder/<int:pk>/bilag/<int:attachment_id>/",
        minutes_views.attachment_download,
        name="attachment_download",
    ),
    path(
        "moeder/<int:pk>/bilag/<int:attachment_id>/fjern/",
        minutes_views.attachment_remove,
        name="attachment_remove",
    ),
    path("moeder/opgave/<int:task_id>/loest/", minutes_views.task_done, name="task_done"),
    path(
        "moeder/<int:pk>/tilmelding/",
        registration_views.registration_manage,
        name="registration_manage",
    ),
    path(
        "moeder/<int:pk>/tilmelding/tilmeldte.csv",
        registration_views.registration_export,
        name="registration_export",
    ),
    path(
        "moeder/<int:pk>/tilmelding/<int:registration_id>/fjern/",
        registration_views.registration_remove,
        name="registration_remove",
    ),
    # Public: the meeting's random token is the key; a signed link cancels one registration.
    path("tilmelding/<slug:token>/", registration_views.register, name="register"),
    path(
        "tilmelding/afmeld/<str:token>/",
        registration_views.registration_cancel,
        name="registration_cancel",
    ),
    path("kalender/", views.calendar_settings, name="calendar_settings"),
    path("kalender/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
