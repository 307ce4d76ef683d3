from django.urls import path

from reports import cooperation_views, views

app_name = "reports"

urlpatterns = [
    path("statistik/", views.statistics_index, name="statistics_index"),
    path("statistik/<int:municipality_id>/", views.statistics, name="statistics"),
    path(
        "statistik/<int:municipality_id>/statistik.csv",
        views.statistics_csv,
        name="statistics_csv",
    ),
    path(
        "statistik/<int:municipality_id>/statistik.xlsx",
        views.statistics_xlsx,
        name="statistics_xlsx",
    ),
    path(
        "statistik/<int:municipality_id>/aarsstatus/",
        views.statistics_status,
        name="statistics_status",
    ),
    path(
        "statistik/<int:municipality_id>/aarsstatus.pdf",
        views.statistics_pdf,
        name="statistics_pdf",
    ),
    path(
        "statistik/<int:municipality_id>/forebyggelse/",
        views.account_page,
        name="prevention_account",
    ),
    path(
        "statistik/<int:municipality_id>/forebyggelse/forebyggelsesregnskab.csv",
        views.account_csv,
        name="prevention_account_csv",
    ),
    path(
        "statistik/<int:municipality_id>/forebyggelse/forebyggelsesregnskab.xlsx",
        views.account_xlsx,
        name="prevention_account_xlsx",
    ),
    path("samarbejdsplan/", cooperation_views.plan_list, name="cooperation_plans"),
    path(
        "samarbejdsplan/kredsraad/<int:kredsraad_id>/ny/",
        cooperation_views.plan_create,
        name="cooperation_plan_create",
    ),
    path("samarbejdsplan/<int:pk>/", cooperation_views.plan_detail, name="cooperation_plan"),
    path(
        "samarbejdsplan/<int:pk>/rediger/",
        cooperation_views.plan_edit,
        name="cooperation_plan_edit",
    ),
    path(
        "samarbejdsplan/<int:pk>/opdater/",
        cooperation_views.plan_refresh,
        name="cooperation_plan_refresh",
    ),
    path(
        "samarbejdsplan/<int:pk>/godkend/",
        cooperation_views.plan_approve,
        name="cooperation_plan_approve",
    ),
    path(
        "samarbejdsplan/<int:pk>/udskrift/",
        cooperation_views.plan_print,
        name="cooperation_plan_print",
    ),
    path(
        "samarbejdsplan/<int:pk>/samarbejdsplan.pdf",
        cooperation_views.plan_pdf,
        name="cooperation_plan_pdf",
    ),
]
