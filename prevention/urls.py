from django.urls import path

from prevention.views import activities as views
from prevention.views import org_wheel as org_wheel_views
from prevention.views import plans as plan_views
from prevention.views import year_wheel as year_wheel_views

app_name = "prevention"

urlpatterns = [
    path("forebyggelse/", views.index, name="index"),
    path("forebyggelse/gadeplan/", views.street_round, name="street_round"),
    path("forebyggelse/raadgivning/", views.counselling, name="counselling"),
    path("forebyggelse/organ/<int:body_id>/", views.body, name="body"),
    path(
        "forebyggelse/organ/<int:body_id>/aktivitet/ny/",
        views.activity_create,
        name="activity_create",
    ),
    path("forebyggelse/aktivitet/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("forebyggelse/aktivitet/<int:pk>/rediger/", views.activity_edit, name="activity_edit"),
    path("forebyggelse/aktivitet/<int:pk>/gennemfoert/", views.activity_done, name="activity_done"),
    path(
        "forebyggelse/organ/<int:body_id>/projekt/ny/",
        plan_views.project_create,
        name="project_create",
    ),
    path("forebyggelse/projekt/<int:pk>/", plan_views.project_detail, name="project_detail"),
    path("forebyggelse/projekt/<int:pk>/rediger/", plan_views.project_edit, name="project_edit"),
    path(
        "forebyggelse/organ/<int:body_id>/aarsplan/ny/",
        plan_views.plan_create,
        name="plan_create",
    ),
    path("forebyggelse/aarsplan/<int:pk>/", plan_views.plan_detail, name="plan_detail"),
    path("forebyggelse/aarsplan/<int:pk>/godkend/", plan_views.plan_approve, name="plan_approve"),
    path(
        "forebyggelse/organ/<int:body_id>/aarsplan/<int:year>/aktiviteter/",
        year_wheel_views.year_wheel_edit,
        name="year_wheel_edit",
    ),
    path(
        "forebyggelse/aktivitetsplan/<int:municipality_id>/",
        plan_views.activity_plan,
        name="activity_plan",
    ),
    path(
        "forebyggelse/aarshjul/<int:municipality_id>/", org_wheel_views.org_wheel, name="org_wheel"
    ),
    path(
        "forebyggelse/aarshjul/<int:municipality_id>/parathed/",
        org_wheel_views.readiness,
        name="readiness",
    ),
]
