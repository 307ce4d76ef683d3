from django.urls import path

from orgimport import views

app_name = "orgimport"

urlpatterns = [
    path("kommune/<int:municipality_id>/import/", views.import_start, name="start"),
    path(
        "kommune/<int:municipality_id>/import/eksempel.xlsx",
        views.sample_download,
        name="sample",
    ),
    path("import/<int:pk>/", views.import_preview, name="preview"),
    path("import/<int:pk>/bekraeft/", views.import_confirm, name="confirm"),
    path("import/skabelon/<slug:preset>.xlsx", views.template_download, name="template"),
]
