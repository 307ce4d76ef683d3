from django.urls import path

from forum import (
    bodytype_views,
    confirmation_views,
    invitation_views,
    login_views,
    setup_views,
    views,
)

app_name = "forum"

urlpatterns = [
    path("", views.index, name="index"),
    path("kommune/ny/", setup_views.municipality_setup, name="municipality_setup"),
    path("kommune/<int:municipality_id>/", views.organisation, name="organisation"),
    path("kommune/<int:municipality_id>/organer/nyt/", views.body_create, name="body_create"),
    path("kommune/<int:municipality_id>/personer/ny/", views.person_create, name="person_create"),
    path("kommune/<int:municipality_id>/enheder/ny/", views.unit_create, name="unit_create"),
    path(
        "kommune/<int:municipality_id>/organtyper/ny/",
        bodytype_views.body_type_create,
        name="body_type_create",
    ),
    path(
        "kommune/<int:municipality_id>/organtyper/<int:pk>/rediger/",
        bodytype_views.body_type_edit,
        name="body_type_edit",
    ),
    path(
        "kommune/<int:municipality_id>/aldersgrupper/",
        views.age_bands,
        name="age_bands",
    ),
    path("organ/<int:pk>/", views.body_detail, name="body_detail"),
    path("organ/<int:pk>/rediger/", views.body_edit, name="body_edit"),
    path("organ/<int:pk>/medlemmer/", views.membership_add, name="membership_add"),
    path(
        "organ/<int:pk>/medlemmer/ny-kontaktperson/",
        views.person_for_body,
        name="person_for_body",
    ),
    path(
        "organ/<int:pk>/medlemmer/<int:membership_id>/rolle/",
        views.membership_role,
        name="membership_role",
    ),
    path(
        "organ/<int:pk>/medlemmer/<int:membership_id>/fjern/",
        views.membership_remove,
        name="membership_remove",
    ),
    path("invitationer-der-venter/", login_views.held_logins_index, name="held_logins_index"),
    path(
        "kommune/<int:municipality_id>/invitationer-der-venter/",
        login_views.held_logins,
        name="held_logins",
    ),
    path(
        "kommune/<int:municipality_id>/invitationer-der-venter/send/",
        login_views.held_logins_send,
        name="held_logins_send",
    ),
    path(
        "person/<int:pk>/invitation/send/",
        login_views.person_login_send,
        name="person_login_send",
    ),
    path(
        "person/<int:pk>/invitation/send-igen/",
        login_views.person_login_resend,
        name="person_login_resend",
    ),
    path("aktoerer/", views.directory, name="directory"),
    path("person/<int:pk>/", views.person_detail, name="person_detail"),
    path("person/<int:pk>/rediger/", views.person_edit, name="person_edit"),
    path(
        "person/<int:pk>/nulstil-totrinslogin/",
        views.person_second_factor_reset,
        name="person_second_factor_reset",
    ),
    # The spring confirmation of the actors' entries (forum/confirmations.py).
    path("bekraeft/<str:token>/", confirmation_views.entry_confirm, name="entry_confirm"),
    path("bekraeftelser/", confirmation_views.entry_reviews, name="entry_reviews"),
    path(
        "kommune/<int:municipality_id>/bekraeftelser/<int:year>/",
        confirmation_views.entry_review,
        name="entry_review",
    ),
    path(
        "kommune/<int:municipality_id>/bekraeftelser/<int:year>/start/",
        confirmation_views.entry_round_start,
        name="entry_round_start",
    ),
    path(
        "bekraeftelse/<int:pk>/gensend/",
        confirmation_views.confirmation_resend,
        name="confirmation_resend",
    ),
    path("rettelse/<int:pk>/", confirmation_views.correction_decide, name="correction_decide"),
    path("enhed/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("enhed/<int:pk>/rediger/", views.unit_edit, name="unit_edit"),
    path("invitationer/", invitation_views.invitations, name="invitations"),
    path(
        "invitationer/<int:pk>/svar/",
        invitation_views.invitation_answer,
        name="invitation_answer",
    ),
]
