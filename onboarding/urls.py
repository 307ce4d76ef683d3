from django.urls import path

from onboarding import views

app_name = "onboarding"

urlpatterns = [
    path("velkommen/", views.mine, name="mine"),
    path("velkommen/oversigt/", views.overview, name="overview"),
    path("velkommen/<int:pk>/", views.detail, name="detail"),
    path("velkommen/<int:pk>/tjekliste/", views.tick, name="tick"),
]
