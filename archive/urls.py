from django.urls import path

from archive import views

app_name = "archive"

urlpatterns = [
    path("eksport/", views.index, name="index"),
    path("eksport/<int:municipality_id>/", views.export_page, name="export"),
    path("eksport/arkiv/<int:pk>/", views.status, name="status"),
    path("eksport/arkiv/<int:pk>/hent/", views.download, name="download"),
]
