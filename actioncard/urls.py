from django.urls import path

from actioncard import views

app_name = "actioncard"

urlpatterns = [
    path("handlekort/redaktion/", views.editions, name="editions"),
    path(
        "handlekort/redaktion/kommune/<int:municipality_id>/ny/",
        views.edition_start,
        name="edition_start",
    ),
    path("handlekort/redaktion/<int:pk>/", views.edition_detail, name="edition_detail"),
    path("handlekort/redaktion/<int:pk>/tekster/", views.edition_texts, name="edition_texts"),
    path(
        "handlekort/redaktion/<int:pk>/kontakter/", views.edition_contacts, name="edition_contacts"
    ),
    path(
        "handlekort/redaktion/<int:pk>/hent-forum/",
        views.edition_refresh,
        name="edition_refresh",
    ),
    path("handlekort/redaktion/<int:pk>/pdf/", views.edition_render, name="edition_render"),
    path(
        "handlekort/redaktion/<int:pk>/pdf/<int:job_id>/",
        views.render_job,
        name="render_job",
    ),
    path(
        "handlekort/redaktion/<int:pk>/pdf/<int:job_id>.pdf",
        views.render_job_pdf,
        name="render_job_pdf",
    ),
    path("handlekort/redaktion/<int:pk>/udgiv/", views.edition_publish, name="edition_publish"),
    path("handlekort/redaktion/<int:pk>/ret/", views.edition_correct, name="edition_correct"),
    path("handlekort/redaktion/<int:pk>/slet/", views.edition_discard, name="edition_discard"),
    path("handlekort/", views.public_index, name="public_index"),
    path("handlekort/<slug:code>/", views.public_current, name="public_current"),
    path("handlekort/<slug:code>/aktuel.pdf", views.public_current_pdf, name="public_current_pdf"),
    path(
        "handlekort/<slug:code>/<int:year>/v<int:version>/",
        views.public_edition,
        name="public_edition",
    ),
    path(
        "handlekort/<slug:code>/<int:year>/v<int:version>.pdf",
        views.public_edition_pdf,
        name="public_edition_pdf",
    ),
]
