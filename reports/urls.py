from django.urls import path

from reports import views

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
        "statistik/<int:municipality_id>/aarsstatus.pdf",
        views.statistics_pdf,
        name="statistics_pdf",
    ),
]
